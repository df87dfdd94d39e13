package dev.trustledger.ledger.topology;

/** Names of the state stores, shared by the topology and the read side. */
public final class StoreNames {
  /** Principal id -> Principal (sponsors and agents). */
  public static final String PRINCIPALS = "principals";

  /** {@code <parent id>/<child id>} -> child id: a sponsor's agents, an agent's sub-agents. */
  public static final String CHILDREN = "children";

  /** Agent id -> TrustState. */
  public static final String TRUST = "trust";

  /** Subject id -> ChainHead. */
  public static final String CHAIN_HEADS = "chain-heads";

  /** {@code <subject id>:<seq as 16 hex digits>} -> LedgerEntry. */
  public static final String ENTRIES = "entries";

  /** {@code <subject id>/<event id>} -> EventOutcome, windowed by ledger time. */
  public static final String OUTCOMES = "outcomes";

  /** {@code <reporter>/<subject>/<interaction>} -> ledger time, windowed. */
  public static final String INTERACTIONS = "interactions";

  /** {@code next} -> the ledger_seq the next entry gets. */
  public static final String SEQUENCE = "sequence";

  /** entries partition -> LogState. */
  public static final String LOG_STATE = "log-state";

  /** entries partition -> latest Checkpoint. */
  public static final String CHECKPOINTS = "checkpoints";

  /** Global: principal id -> raw public key, for the verifier stage. */
  public static final String SIGNER_KEYS = "signer-keys";

  private StoreNames() {}

  public static String entryKey(String subjectId, long seq) {
    return subjectId + ":" + String.format("%016x", seq);
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

  public static String outcomeKey(String subjectId, String eventId) {
    return subjectId + "/" + eventId;
  }

  public static String interactionKey(String reporterId, String subjectId, String interactionId) {
    return reporterId + "/" + subjectId + "/" + interactionId;
  }
}
