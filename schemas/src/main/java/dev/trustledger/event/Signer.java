package dev.trustledger.event;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.id.PrincipalIds;

/**
 * A principal able to sign events: its kind, private key and id. The id is the hash of the
 * principal's first key (docs/spec.md section 3.1): the current key's, until the key is rotated.
 *
 * @param kind the signer's kind
 * @param key the signer's private key (never printed)
 * @param id the signer's id
 */
public record Signer(PrincipalKind kind, Ed25519PrivateKey key, String id) {
  public Signer {
    if (kind == null || key == null || id == null) {
      throw new IllegalArgumentException("a signer needs a kind, a key and an id");
    }
  }

  /** A signer whose id is the hash of {@code key}: it has never rotated its key. */
  public Signer(PrincipalKind kind, Ed25519PrivateKey key) {
    this(kind, key, PrincipalIds.of(kind, key.publicKey().raw()));
  }

  /** The principal {@code id} signing with {@code key}, a key it rotated to. */
  public static Signer rotated(PrincipalKind kind, String id, Ed25519PrivateKey key) {
    return new Signer(kind, key, id);
  }

  @Override
  public String toString() {
    return "Signer[" + kind + " " + id + "]";
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

  /** Signs raw bytes. */
  public byte[] sign(byte[] message) {
    return key.sign(message);
  }
}
