package dev.trustledger.ledger.store;

import dev.trustledger.encoding.Hex;

/** Names and keys of the ledger's state stores, shared by the topology and the read side. */
public final class StoreNames {
  /** The ledger's head: one key, {@link #HEAD_KEY} -> LedgerHead. */
  public static final String HEAD = "ledger-head";

  /** The key of the one record in {@link #HEAD}. */
  public static final String HEAD_KEY = "head";

  /** Principal id -> PrincipalState (sponsors and agents). */
  public static final String PRINCIPALS = "principals";

  /** {@code <parent id>/<child id>} -> child id: a sponsor's agents, an agent's sub-agents. */
  public static final String CHILDREN = "children";

  /** Decision key ({@code DecisionKeys}) -> Decision, windowed by ledger time. */
  public static final String DECISIONS = "decisions";

  /**
   * Global, from ledger.keys: principal id -> ledger_seq and raw public key ({@link
   * SignerKeyValues}), for the verify stage.
   */
  public static final String SIGNER_KEYS = "signer-keys";

  /**
   * Global, from ledger.entries: {@code <subject id>:<seq as 16 hex digits>} -> the LedgerEntry's
   * Avro binary (its leaf data), and the Merkle tree of entries ({@link TreeIndex}) under keys that
   * no principal id starts with.
   */
  public static final String ENTRIES = "entries";

  /**
   * Global, from ledger.checkpoints: {@code latest/<tree>} and {@code at/<tree>/<size>} -> a
   * Checkpoint (as on the topic) whose note the ledger key signed.
   */
  public static final String CHECKPOINTS = "checkpoints";

  private StoreNames() {}

  public static String entryKey(String subjectId, long seq) {
    return subjectId + ":" + Hex.digits(seq);
  }

  /** The key of the latest checkpoint of tree {@code tree}. */
  public static String latestCheckpointKey(int tree) {
    return "latest/" + tree;
  }

  /** The key of the checkpoint of tree {@code tree} at size {@code size}. */
  public static String checkpointKey(int tree, long size) {
    return "at/" + tree + "/" + Hex.digits(size);
  }

  public static String childKey(String parentId, String childId) {
    return parentId + "/" + childId;
  }

  /** First key of a parent's children range ('/' is followed by '0' in UTF-8). */
  public static String childrenFrom(String parentId) {
    return parentId + "/";
  }

  /** Last key (inclusive bound) of a parent's children range. */
  public static String childrenTo(String parentId) {
    return parentId + "0";
  }
}
