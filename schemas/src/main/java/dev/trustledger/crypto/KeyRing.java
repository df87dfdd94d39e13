package dev.trustledger.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The private keys a ledger node holds for the ledger: its identity key (the genesis key, whose
 * hash is the ledger's id) and the keys the ledger's key may rotate to. The node signs what the
 * ledger says publicly with the key its log names as current, which must be in the ring.
 */
public final class KeyRing {
  private final Ed25519PrivateKey identity;
  private final List<Ed25519PrivateKey> keys;

  private KeyRing(Ed25519PrivateKey identity, List<Ed25519PrivateKey> next) {
    this.identity = identity;
    List<Ed25519PrivateKey> all = new ArrayList<>();
    all.add(identity);
    for (Ed25519PrivateKey k : next) {
      if (all.stream().noneMatch(h -> h.publicKey().equals(k.publicKey()))) {
        all.add(k);
      }
    }
    this.keys = List.copyOf(all);
  }

  /** A ring of the identity key alone. */
  public static KeyRing of(Ed25519PrivateKey identity) {
    return new KeyRing(identity, List.of());
  }

  /** A ring of the identity key and the keys the ledger may rotate to. */
  public static KeyRing of(Ed25519PrivateKey identity, List<Ed25519PrivateKey> next) {
    return new KeyRing(identity, next);
  }

  /** The ledger's first key: its id is its hash. */
  public Ed25519PrivateKey identity() {
    return identity;
  }

  /** The private key of {@code publicKey} (raw 32 bytes), if the ring holds it. */
  public Optional<Ed25519PrivateKey> find(byte[] publicKey) {
    return keys.stream().filter(k -> Arrays.equals(k.publicKey().raw(), publicKey)).findFirst();
  }

  /** Every public key of the ring, the identity key first. */
  public List<Ed25519PublicKey> publicKeys() {
    return keys.stream().map(Ed25519PrivateKey::publicKey).toList();
  }

  @Override
  public String toString() {
    return "KeyRing[" + keys.size() + " keys]";
  }
}
