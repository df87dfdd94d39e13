package dev.trustledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole Merkle tree in memory: every perfect subtree's hash, level by level (about two hashes a
 * leaf). For auditors, monitors and tests; a node keeps the same hashes in RocksDB.
 */
public final class MemoryTree implements NodeSource {
  private final List<List<byte[]>> levels = new ArrayList<>();
  private Frontier frontier = Frontier.empty();

  /** Appends the leaf whose data is {@code data}; returns its index. */
  public long appendData(byte[] data) {
    return append(MerkleHash.leaf(data));
  }

  /** Appends the leaf whose hash is {@code leafHash}; returns its index. */
  public long append(byte[] leafHash) {
    long index = frontier.size();
    frontier =
        frontier.append(
            leafHash,
            (level, i, hash) -> {
              while (levels.size() <= level) {
                levels.add(new ArrayList<>());
              }
              levels.get(level).add(hash);
            });
    return index;
  }

  public long size() {
    return frontier.size();
  }

  public Frontier frontier() {
    return frontier;
  }

  /** The root hash of the first {@code size} leaves. */
  public byte[] root(long size) {
    if (size > size()) {
      throw new IllegalArgumentException("the tree has " + size() + " leaves, not " + size);
    }
    return Proofs.root(size, this);
  }

  @Override
  public byte[] node(int level, long index) {
    if (level < levels.size() && index >= 0 && index < levels.get(level).size()) {
      return levels.get(level).get((int) index).clone();
    }
    throw new IllegalStateException("no perfect subtree (" + level + ", " + index + ") yet");
  }
}
