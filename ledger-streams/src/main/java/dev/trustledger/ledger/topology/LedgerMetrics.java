package dev.trustledger.ledger.topology;

import dev.trustledger.avro.RejectionReason;

/** What the topology reports as it runs; implementations must be thread-safe. */
public interface LedgerMetrics {
  /** An input was accepted (an entry written). */
  void accepted();

  /** An input was rejected. */
  void rejected(RejectionReason reason);

  /** The verify stage checked one event's signatures in {@code nanos}. */
  void verified(long nanos);

  /** A record of ledger.keys was refused: the ledger did not sign it, or it names a wrong key. */
  void refusedKeyRecord();

  /** A record of the sequencer topic failed its MAC: no verify stage of this ledger wrote it. */
  void forgedSequencerInput();

  /** A record of ledger.checkpoints was refused: its note is not the ledger's signature. */
  default void refusedCheckpoint() {}

  /**
   * An entry of ledger.entries claims a ledger_seq whose leaf the tree index already holds with
   * another hash: only a forged or damaged topic does that.
   */
  default void conflictingEntry() {}

  /** Reports nothing. */
  LedgerMetrics NONE =
      new LedgerMetrics() {
        @Override
        public void accepted() {}

        @Override
        public void rejected(RejectionReason reason) {}

        @Override
        public void verified(long nanos) {}

        @Override
        public void refusedKeyRecord() {}

        @Override
        public void forgedSequencerInput() {}
      };
}
