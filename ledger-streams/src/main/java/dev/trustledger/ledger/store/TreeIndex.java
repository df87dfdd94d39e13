package dev.trustledger.ledger.store;

import dev.trustledger.encoding.Hex;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.NodeSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The ledger's Merkle tree as every node keeps it, built from {@code ledger.entries} (a global
 * store: the topic is its changelog). Keys: {@code n/<level>/<index>} -> the hash of perfect
 * subtree (level, index), {@code e/<ledger_seq>} -> the entry's key in {@link StoreNames#ENTRIES},
 * {@code size} -> how many leaves from 0 on are all present (the tree the node can prove from).
 * Entries arrive from several partitions, so a leaf may come before the ones left of it; the nodes
 * it completes are written once everything left of it is there. About two hashes a leaf.
 */
public final class TreeIndex {
  static final String SIZE_KEY = "size";

  private TreeIndex() {}

  static String nodeKey(int level, long index) {
    return "n/" + Hex.digits((byte) level) + "/" + Hex.digits(index);
  }

  static String entryKey(long ledgerSeq) {
    return "e/" + Hex.digits(ledgerSeq);
  }

  private static long size(ReadOnlyKeyValueStore<String, byte[]> store) {
    byte[] v = store.get(SIZE_KEY);
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  /** Adds leaves as the indexing processor reads entries. */
  public static final class Writer {
    private final KeyValueStore<String, byte[]> store;
    private long size;
    // The last node completed at each level: the left sibling of the next one there.
    private final long[] lastIndex = new long[64];
    private final byte[][] lastHash = new byte[64][];

    public Writer(KeyValueStore<String, byte[]> store) {
      this.store = store;
      this.size = TreeIndex.size(store);
    }

    /**
     * Adds the leaf at {@code ledgerSeq}.
     *
     * @return false when another leaf is already at that index (the hash kept is the first one's):
     *     two entries claim one ledger_seq, which only a forged or damaged topic holds
     */
    public boolean add(long ledgerSeq, byte[] leafHash, String entriesKey) {
      byte[] held = store.get(nodeKey(0, ledgerSeq));
      if (held != null) {
        return Arrays.equals(held, leafHash);
      }
      store.put(entryKey(ledgerSeq), entriesKey.getBytes(StandardCharsets.UTF_8));
      store.put(nodeKey(0, ledgerSeq), leafHash);
      if (ledgerSeq != size) {
        return true;
      }
      long next = size;
      while (true) {
        complete(next);
        next++;
        if (store.get(nodeKey(0, next)) == null) {
          break;
        }
      }
      size = next;
      store.put(SIZE_KEY, ByteBuffer.allocate(8).putLong(size).array());
      return true;
    }

    /** Writes the perfect subtrees whose rightmost leaf is {@code index}. */
    private void complete(long index) {
      byte[] hash = store.get(nodeKey(0, index));
      long i = index;
      int level = 0;
      while ((i & 1) == 1) {
        byte[] left = leftSibling(level, i - 1);
        hash = MerkleHash.node(left, hash);
        level++;
        i >>>= 1;
        store.put(nodeKey(level, i), hash);
      }
      remember(level, i, hash);
    }

    /** The node at (level, index), from the nodes this writer completed last, else the store. */
    private byte[] leftSibling(int level, long index) {
      if (lastIndex[level] == index && lastHash[level] != null) {
        return lastHash[level];
      }
      return store.get(nodeKey(level, index));
    }

    private void remember(int level, long index, byte[] hash) {
      lastIndex[level] = index;
      lastHash[level] = hash;
    }

    public long size() {
      return size;
    }
  }

  /** Reads the tree from a read-only view of the store. */
  public static final class Reader implements NodeSource {
    private final ReadOnlyKeyValueStore<String, byte[]> store;

    public Reader(ReadOnlyKeyValueStore<String, byte[]> store) {
      this.store = store;
    }

    /** Leaves 0 .. size - 1 are all indexed. */
    public long size() {
      return TreeIndex.size(store);
    }

    @Override
    public byte[] node(int level, long index) {
      byte[] h = store.get(nodeKey(level, index));
      if (h == null) {
        throw new IllegalStateException(
            "the tree index has no node (" + level + ", " + index + ")");
      }
      return h;
    }

    /** The key in {@link StoreNames#ENTRIES} of the entry at {@code ledgerSeq}. */
    public Optional<String> entriesKey(long ledgerSeq) {
      byte[] v = store.get(entryKey(ledgerSeq));
      return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
    }
  }
}
