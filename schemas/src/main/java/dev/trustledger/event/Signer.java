package dev.trustledger.event;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.id.PrincipalIds;

/**
 * A principal able to sign events: its kind and private key. Its id follows from both.
 *
 * @param kind the signer's kind
 * @param key the signer's private key (never printed)
 */
public record Signer(PrincipalKind kind, Ed25519PrivateKey key) {
  public Signer {
    if (kind == null || key == null) {
      throw new IllegalArgumentException("a signer needs a kind and a key");
    }
  }

  public static Signer admin(Ed25519PrivateKey key) {
    return new Signer(PrincipalKind.ADMIN, key);
  }

  public static Signer sponsor(Ed25519PrivateKey key) {
    return new Signer(PrincipalKind.SPONSOR, key);
  }

  public static Signer agent(Ed25519PrivateKey key) {
    return new Signer(PrincipalKind.AGENT, key);
  }

  /** The ledger itself, which signs its genesis entry and checkpoints. */
  public static Signer ledger(Ed25519PrivateKey key) {
    return new Signer(PrincipalKind.LEDGER, key);
  }

  /** The id of the ledger whose key is {@code key}. */
  public static String ledgerId(dev.trustledger.crypto.Ed25519PublicKey key) {
    return PrincipalIds.of(PrincipalKind.LEDGER, key.raw());
  }

  /** The signer's self-certifying id. */
  public String id() {
    return PrincipalIds.of(kind, key.publicKey().raw());
  }

  /** Signs raw bytes. */
  public byte[] sign(byte[] message) {
    return key.sign(message);
  }
}
