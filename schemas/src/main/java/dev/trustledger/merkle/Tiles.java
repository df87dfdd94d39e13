package dev.trustledger.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tile layout of C2SP tlog-tiles: tile {@code (L, N)} holds up to 256 hashes of tree level
 * {@code 8L}, the nodes {@code N*256 ... N*256+255}; entry bundle {@code N} holds entries {@code
 * N*256 ... N*256+255}. Paths are {@code tile/<L>/<N>[.p/<W>]} and {@code tile/entries/<N>[.p/<W>]}
 * with {@code N} in zero-padded groups of three digits, all but the last prefixed {@code x}.
 */
public final class Tiles {
  /** Hashes in a full tile, entries in a full bundle. */
  public static final int WIDTH = 256;

  /** Highest tile level (tree level 504 is beyond any 64-bit tree). */
  public static final int MAX_LEVEL = 63;

  private Tiles() {}

  /**
   * A tile or an entry bundle.
   *
   * @param level the tile level, or -1 for an entry bundle
   * @param index {@code N}
   * @param width hashes or entries it holds, 1..256 (256: a full tile)
   */
  public record Tile(int level, long index, int width) {
    public Tile {
      if (level < -1 || level > MAX_LEVEL || index < 0 || width < 1 || width > WIDTH) {
        throw new IllegalArgumentException(
            "no tile at level " + level + ", index " + index + ", width " + width);
      }
    }

    public boolean entries() {
      return level == -1;
    }

    public boolean full() {
      return width == WIDTH;
    }

    /** The path below the log's prefix, e.g. {@code tile/0/x001/234.p/7}. */
    public String path() {
      String base = "tile/" + (entries() ? "entries" : Integer.toString(level)) + "/";
      return base + encodeIndex(index) + (full() ? "" : ".p/" + width);
    }
  }

  /** {@code N} as tlog-tiles path elements: 1234067 is {@code x001/x234/067}. */
  public static String encodeIndex(long n) {
    List<String> groups = new ArrayList<>();
    do {
      groups.add(0, String.format("%03d", n % 1000));
      n /= 1000;
    } while (n > 0);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < groups.size(); i++) {
      if (i > 0) {
        out.append('/');
      }
      if (i < groups.size() - 1) {
        out.append('x');
      }
      out.append(groups.get(i));
    }
    return out.toString();
  }

  /**
   * Parses a path below the prefix ({@code tile/...}); empty when it is not a well-formed tile or
   * bundle path (leading zeroes in L or W, a wrong group, a width outside 1..255 after .p).
   */
  public static Optional<Tile> parse(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length < 3 || !parts[0].equals("tile")) {
      return Optional.empty();
    }
    int level;
    if (parts[1].equals("entries")) {
      level = -1;
    } else {
      OptionalInt parsed = decimal(parts[1], MAX_LEVEL);
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      level = parsed.value;
    }
    int end = parts.length;
    int width = WIDTH;
    String last = parts[end - 1];
    if (end >= 4 && parts[end - 2].endsWith(".p")) {
      OptionalInt w = decimal(last, WIDTH - 1);
      if (w.isEmpty() || w.value < 1) {
        return Optional.empty();
      }
      width = w.value;
      parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
      end--;
    }
    long index = 0;
    for (int i = 2; i < end; i++) {
      String g = parts[i];
      boolean lastGroup = i == end - 1;
      if (!lastGroup) {
        if (!g.startsWith("x")) {
          return Optional.empty();
        }
        g = g.substring(1);
      }
      if (g.length() != 3 || !g.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      if (index > (Long.MAX_VALUE - 999) / 1000) {
        return Optional.empty();
      }
      index = index * 1000 + Integer.parseInt(g);
    }
    if (end - 2 > 1 && parts[2].equals("x000")) {
      return Optional.empty();
    }
    return Optional.of(new Tile(level, index, width));
  }

  private record OptionalInt(int value, boolean present) {
    static final OptionalInt EMPTY = new OptionalInt(0, false);

    boolean isEmpty() {
      return !present;
    }
  }

  private static OptionalInt decimal(String s, int max) {
    if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.EMPTY;
    }
    if (s.length() > 1 && s.charAt(0) == '0') {
      return OptionalInt.EMPTY;
    }
    int v = Integer.parseInt(s);
    return v > max ? OptionalInt.EMPTY : new OptionalInt(v, true);
  }

  /**
   * The width of tile {@code (level, index)} in a tree of {@code size} leaves: 256 when full, less
   * for the rightmost partial tile, 0 when the tree has no hash of it yet.
   */
  public static int width(int level, long index, long size) {
    long nodes = level < 0 ? size : nodesAt(8 * level, size);
    long start = index * WIDTH;
    if (nodes <= start) {
      return 0;
    }
    return (int) Math.min(WIDTH, nodes - start);
  }

  /** The number of perfect subtrees of height {@code treeLevel} in a tree of {@code size}. */
  private static long nodesAt(int treeLevel, long size) {
    return treeLevel >= 63 ? 0 : size >>> treeLevel;
  }

  /** The concatenated hashes of tile {@code tile}, from {@code nodes}. */
  public static byte[] hashes(Tile tile, NodeSource nodes) {
    if (tile.entries()) {
      throw new IllegalArgumentException("an entry bundle holds entries, not hashes");
    }
    byte[] out = new byte[tile.width() * MerkleHash.LENGTH];
    for (int i = 0; i < tile.width(); i++) {
      byte[] h = nodes.node(8 * tile.level(), tile.index() * WIDTH + i);
      System.arraycopy(h, 0, out, i * MerkleHash.LENGTH, MerkleHash.LENGTH);
    }
    return out;
  }

  /**
   * An entry bundle: each entry as a big-endian uint16 length and its bytes.
   *
   * @throws IllegalArgumentException when an entry is longer than 65,535 bytes
   */
  public static byte[] bundle(List<byte[]> entries) {
    int length = 0;
    for (byte[] e : entries) {
      if (e.length > 0xFFFF) {
        throw new IllegalArgumentException(
            "an entry of " + e.length + " bytes does not fit an entry bundle");
      }
      length += 2 + e.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] e : entries) {
      out[at++] = (byte) (e.length >>> 8);
      out[at++] = (byte) e.length;
      System.arraycopy(e, 0, out, at, e.length);
      at += e.length;
    }
    return out;
  }

  /**
   * The entries of a bundle.
   *
   * @throws IllegalArgumentException when the bytes are not a sequence of length-prefixed entries
   */
  public static List<byte[]> unbundle(byte[] bundle) {
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at < bundle.length) {
      if (at + 2 > bundle.length) {
        throw new IllegalArgumentException("entry bundle ends inside a length");
      }
      int n = ((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF);
      at += 2;
      if (at + n > bundle.length) {
        throw new IllegalArgumentException("entry bundle ends inside an entry");
      }
      byte[] e = new byte[n];
      System.arraycopy(bundle, at, e, 0, n);
      out.add(e);
      at += n;
    }
    return out;
  }
}
