package dev.trustledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 section 2.1 hashing with SHA-256: a leaf is {@code SHA-256(0x00 || data)}, an interior
 * node {@code SHA-256(0x01 || left || right)}, and the empty tree {@code SHA-256("")}.
 */
public final class MerkleHash {
  public static final int LENGTH = 32;
  private static final byte[] EMPTY = digest().digest();

  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(MerkleHash::digest);

  private MerkleHash() {}

  /** The hash of the leaf whose data is {@code data}. */
  public static byte[] leaf(byte[] data) {
    MessageDigest d = DIGEST.get();
    d.reset();
    d.update((byte) 0x00);
    d.update(data);
    return d.digest();
  }

  /** The hash of the interior node whose children hash to {@code left} and {@code right}. */
  public static byte[] node(byte[] left, byte[] right) {
    if (left.length != LENGTH || right.length != LENGTH) {
      throw new IllegalArgumentException(
          "node children must be 32-byte hashes, got " + left.length + " and " + right.length);
    }
    MessageDigest d = DIGEST.get();
    d.reset();
    d.update((byte) 0x01);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** The root hash of the tree with no leaves. */
  public static byte[] empty() {
    return EMPTY.clone();
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
