package dev.trustledger.ledger.audit;

/**
 * One thing the auditor found wrong, with where it stands and both values.
 *
 * @param kind what is wrong
 * @param partition entries (or checkpoints) partition, -1 when not tied to one
 * @param offset offset of the record, -1 when not tied to one
 * @param subject subject id, or empty
 * @param seq chain seq, -1 when not tied to one
 * @param expected what the auditor computed
 * @param found what the log holds
 */
public record Problem(
    Kind kind,
    int partition,
    long offset,
    String subject,
    long seq,
    String expected,
    String found) {

  /** Kinds of tampering or inconsistency. */
  public enum Kind {
    /** A record that does not decode. */
    MALFORMED,
    /** The first entry is not a genesis signed by the ledger key the auditor trusts. */
    GENESIS,
    /** entry_hash differs from the hash of the entry's fields. */
    ENTRY_HASH,
    /** A chain's seq does not continue from the previous entry of the subject. */
    CHAIN_SEQ,
    /** prev_hash is not the previous entry's hash. */
    CHAIN_PREV_HASH,
    /** ledger_seq has a gap, a repeat, or is out of order within a partition. */
    LEDGER_SEQ,
    /** An event signature does not verify. */
    SIGNATURE,
    /** A registration's proof of possession does not verify. */
    POP_SIGNATURE,
    /** The recorded signer key is not the key the log registered for the signer. */
    SIGNER_KEY,
    /**
     * The ledger's step decides otherwise: an accepted event it rejects, a rejection it does not
     * make (or makes for another reason), a cascade entry missing or extra.
     */
    DECISION,
    /** An entry stands in another partition than the ledger's partition function gives. */
    PARTITION,
    /** An input of ledger.events has no outcome: neither an entry nor a rejection. */
    MISSING_OUTCOME,
    /** Recorded facts differ from those the step gives. */
    FACTS,
    /** An entry differs from what the step writes in something other than its facts. */
    ENTRY,
    /** A checkpoint signature does not verify with the ledger key. */
    CHECKPOINT_SIGNATURE,
    /** A checkpoint covers more entries than the log holds (a truncated log). */
    CHECKPOINT_SIZE,
    /** A checkpoint's root is not the Merkle tree hash of the log's entries at its size. */
    CHECKPOINT_ROOT,
    /** Two signed checkpoints cannot both describe one history. */
    CHECKPOINT_CONTRADICTION,
    /**
     * A checkpoint observed elsewhere (a node, a receipt, another copy of the log) is signed by the
     * ledger but its tree is not this log's: a split view, found at the smallest such size.
     */
    FORK,
    /** A witness cosignature on a checkpoint does not verify. */
    COSIGNATURE,
    /** An observed checkpoint carries fewer valid witness cosignatures than the quorum. */
    QUORUM,
    /** A running node serves other trust than the log gives. */
    NODE_STATE
  }

  @Override
  public String toString() {
    return kind
        + " at partition "
        + partition
        + " offset "
        + offset
        + (subject.isEmpty() ? "" : " subject " + subject + " seq " + seq)
        + ": expected "
        + expected
        + ", found "
        + found;
  }
}
