package dev.trustledger.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, optionally domain-separated. */
public final class Sha256 {
  public static final int LENGTH = 32;

  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
          });

  private Sha256() {}

  public static byte[] hash(byte[]... parts) {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** SHA-256(domain prefix || parts...). */
  public static byte[] hash(Domain domain, byte[]... parts) {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    digest.update(domain.shared());
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }
}
