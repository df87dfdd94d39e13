package dev.trustledger.checkpoint;

import dev.trustledger.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The body of a C2SP tlog checkpoint: three lines, each ending in {@code \n}: the origin, the
 * decimal tree size, and the standard base64 (with padding) of the 32-byte RFC 6962 root hash. The
 * ledger writes no extension lines and refuses bodies that have them.
 *
 * @param origin the ledger's name (its one tree)
 * @param size number of entries (leaves) the root covers
 * @param rootHash the Merkle tree hash of the first {@code size} entries
 */
public record CheckpointBody(String origin, long size, byte[] rootHash) {
  public CheckpointBody {
    if (origin == null || origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("origin must be one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    if (rootHash == null || rootHash.length != Sha256.LENGTH) {
      throw new IllegalArgumentException("root hash must be 32 bytes");
    }
    rootHash = rootHash.clone();
  }

  /**
   * The origin line of tree {@code tree} of ledger {@code ledgerName}: the ledger's name for its
   * one tree (0); {@code <ledger name>/tree/<n>} for the trees of further sequencer shards.
   */
  public static String origin(String ledgerName, int tree) {
    return tree == 0 ? ledgerName : ledgerName + "/tree/" + tree;
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The exact body text that the checkpoint signature covers. */
  public String text() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
  }

  public byte[] bytes() {
    return text().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a body text.
   *
   * @throws NoteException if the text is not three well-formed lines
   */
  public static CheckpointBody parse(String text) throws NoteException {
    if (!text.endsWith("\n")) {
      throw new NoteException("checkpoint body must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length != 3) {
      throw new NoteException(
          "checkpoint body: got " + lines.length + " lines, want 3 (no extension lines)");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new NoteException("checkpoint size is not a decimal number: '" + lines[1] + "'");
    }
    if (size < 0 || !lines[1].equals(Long.toString(size))) {
      throw new NoteException("checkpoint size is not canonical decimal: '" + lines[1] + "'");
    }
    byte[] hash;
    try {
      hash = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteException("checkpoint root hash is not base64: '" + lines[2] + "'");
    }
    if (hash.length != Sha256.LENGTH) {
      throw new NoteException("checkpoint root hash: got " + hash.length + " bytes, want 32");
    }
    try {
      return new CheckpointBody(lines[0], size, hash);
    } catch (IllegalArgumentException e) {
      throw new NoteException("checkpoint body: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointBody other
        && origin.equals(other.origin)
        && size == other.size
        && java.util.Arrays.equals(rootHash, other.rootHash);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * origin.hashCode() + Long.hashCode(size))
        + java.util.Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return "CheckpointBody[" + text().replace("\n", " | ") + "]";
  }
}
