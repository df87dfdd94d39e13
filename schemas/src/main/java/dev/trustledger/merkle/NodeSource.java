package dev.trustledger.merkle;

/**
 * The hashes of a tree's perfect subtrees. Node {@code (level, index)} is the root of the perfect
 * subtree over leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds the leaf
 * hashes.
 */
@FunctionalInterface
public interface NodeSource {
  /**
   * The hash of node {@code (level, index)}.
   *
   * @throws IllegalStateException when the source does not hold that node
   */
  byte[] node(int level, long index);
}
