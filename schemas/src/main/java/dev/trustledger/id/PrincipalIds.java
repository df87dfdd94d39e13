package dev.trustledger.id;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Base32;
import java.util.Arrays;
import java.util.Optional;

/**
 * Self-certifying principal ids: prefix + lowercase base32 (no padding) of the first 20 bytes of
 * SHA-256(raw 32-byte Ed25519 public key). Prefixes: {@code adm_}, {@code spn_}, {@code agt_}, and
 * {@code ldg_} for the ledger's own key.
 */
public final class PrincipalIds {
  /** Bytes of the key hash an id carries. */
  public static final int HASH_BYTES = 20;

  /** Characters of base32 after the prefix: ceil(20 * 8 / 5). */
  public static final int ENCODED_LENGTH = 32;

  private PrincipalIds() {}

  /** The id prefix of a kind, e.g. {@code agt_}. */
  public static String prefix(PrincipalKind kind) {
    return switch (kind) {
      case ADMIN -> "adm_";
      case SPONSOR -> "spn_";
      case AGENT -> "agt_";
      case LEDGER -> "ldg_";
    };
  }

  /** The id of the principal of {@code kind} whose raw public key is {@code publicKey}. */
  public static String of(PrincipalKind kind, byte[] publicKey) {
    byte[] hash = Sha256.hash(publicKey);
    return prefix(kind) + Base32.encode(Arrays.copyOf(hash, HASH_BYTES));
  }

  /** The kind named by the id's prefix, if {@code id} is a well-formed id. */
  public static Optional<PrincipalKind> kindOf(String id) {
    if (id == null || id.length() != 4 + ENCODED_LENGTH) {
      return Optional.empty();
    }
    String body = id.substring(4);
    if (!Base32.isAlphabet(body)) {
      return Optional.empty();
    }
    for (PrincipalKind kind : PrincipalKind.values()) {
      if (id.startsWith(prefix(kind))) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** True when {@code id} is well formed and of {@code kind}. */
  public static boolean isWellFormed(String id, PrincipalKind kind) {
    return kindOf(id).filter(kind::equals).isPresent();
  }

  /** True when {@code id} is exactly the id that {@code publicKey} derives for {@code kind}. */
  public static boolean matches(String id, PrincipalKind kind, byte[] publicKey) {
    return publicKey != null && of(kind, publicKey).equals(id);
  }
}
