package dev.trustledger.ledger.topology;

/** Names of the state stores, shared by the topology and the read side. */
public final class StoreNames {
  /** Principal id -> Principal (sponsors and agents). */
  public static final String PRINCIPALS = "principals";

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

  public static String outcomeKey(String subjectId, String eventId) {
    return subjectId + "/" + eventId;
  }

  public static String interactionKey(String reporterId, String subjectId, String interactionId) {
    return reporterId + "/" + subjectId + "/" + interactionId;
  }
}
