package dev.trustledger.crypto;

import dev.trustledger.encoding.Base64Url;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key, decoded and validated once so that each verification skips point
 * decompression. Instances are immutable and thread-safe; cache them per signer.
 */
public final class Ed25519PublicKey {
  public static final int LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private final byte[] raw;
  private final Ed25519.PublicPoint point;

  private Ed25519PublicKey(byte[] raw, Ed25519.PublicPoint point) {
    this.raw = raw;
    this.point = point;
  }

  /**
   * Decodes a raw 32-byte key.
   *
   * @throws CryptoException if the key has the wrong length or is not a valid point of prime order
   */
  public static Ed25519PublicKey of(byte[] raw) {
    if (raw == null || raw.length != LENGTH) {
      throw new CryptoException(
          "Ed25519 public key: got "
              + (raw == null ? "null" : raw.length + " bytes")
              + ", want "
              + LENGTH
              + " bytes");
    }
    byte[] copy = raw.clone();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
    if (point == null) {
      throw new CryptoException("Ed25519 public key is not a valid point of prime order");
    }
    return new Ed25519PublicKey(copy, point);
  }

  /** A copy of the raw 32 bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /**
   * Verifies a pure Ed25519 signature (RFC 8032) of {@code message}. Returns false for any
   * signature that is not exactly 64 bytes or does not verify; never throws.
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    return Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + Base64Url.encode(raw) + "]";
  }
}
