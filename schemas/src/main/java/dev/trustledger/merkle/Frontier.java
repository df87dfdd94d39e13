package dev.trustledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree of {@code size} leaves: the roots of its perfect subtrees, one
 * per set bit of {@code size}, largest (leftmost) first. It is all a writer keeps to append a leaf
 * (O(log n) hashes at worst, one on average) and to compute the root. Immutable.
 */
public final class Frontier {
  private static final Frontier EMPTY = new Frontier(0, List.of());

  private final long size;
  private final List<byte[]> hashes;

  private Frontier(long size, List<byte[]> hashes) {
    this.size = size;
    this.hashes = hashes;
  }

  /** The frontier of the empty tree. */
  public static Frontier empty() {
    return EMPTY;
  }

  /**
   * The frontier of a tree of {@code size} leaves from its subtree roots, largest first.
   *
   * @throws IllegalArgumentException unless there is one 32-byte hash per set bit of {@code size}
   */
  public static Frontier of(long size, List<byte[]> hashes) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative, got " + size);
    }
    if (hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a tree of size "
              + size
              + " has "
              + Long.bitCount(size)
              + " perfect subtrees on its right edge, got "
              + hashes.size()
              + " hashes");
    }
    List<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      if (h.length != MerkleHash.LENGTH) {
        throw new IllegalArgumentException("frontier hashes must be 32 bytes, got " + h.length);
      }
      copy.add(h.clone());
    }
    return new Frontier(size, List.copyOf(copy));
  }

  /** A node that an append completed: the root of a new perfect subtree. */
  @FunctionalInterface
  public interface Completed {
    void node(int level, long index, byte[] hash);
  }

  public long size() {
    return size;
  }

  /** Copies of the subtree roots, largest first. */
  public List<byte[]> hashes() {
    List<byte[]> out = new ArrayList<>(hashes.size());
    hashes.forEach(h -> out.add(h.clone()));
    return out;
  }

  /** The frontier after appending the leaf whose hash is {@code leafHash}. */
  public Frontier append(byte[] leafHash) {
    return append(leafHash, (level, index, hash) -> {});
  }

  /**
   * The frontier after appending the leaf whose hash is {@code leafHash}; {@code completed} sees
   * every perfect subtree the leaf completes, the leaf itself first (level 0).
   */
  public Frontier append(byte[] leafHash, Completed completed) {
    if (leafHash.length != MerkleHash.LENGTH) {
      throw new IllegalArgumentException("leaf hashes are 32 bytes, got " + leafHash.length);
    }
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("the tree is full");
    }
    List<byte[]> next = new ArrayList<>(hashes);
    byte[] hash = leafHash.clone();
    int level = 0;
    long index = size;
    completed.node(0, index, hash);
    while (((size >>> level) & 1) == 1) {
      hash = MerkleHash.node(next.remove(next.size() - 1), hash);
      level++;
      index >>>= 1;
      completed.node(level, index, hash);
    }
    next.add(hash);
    return new Frontier(size + 1, List.copyOf(next));
  }

  /** The root hash of the tree (RFC 6962 MTH); the hash of the empty string for no leaves. */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return MerkleHash.empty();
    }
    byte[] root = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      root = MerkleHash.node(hashes.get(i), root);
    }
    return root.clone();
  }
}
