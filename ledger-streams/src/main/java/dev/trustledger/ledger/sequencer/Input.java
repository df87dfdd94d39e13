package dev.trustledger.ledger.sequencer;

import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.ledger.avro.Verdict;

/** One input of the ledger's step. */
public sealed interface Input {

  /**
   * A decoded event.
   *
   * @param source where the input record stood, or null (the genesis, which the ledger makes)
   * @param recordKey the input record's key
   * @param event the event
   * @param verdict how the verify stage checked it, or null when it knew no key for the signer
   * @param ledgerTime the input record's timestamp (LogAppendTime)
   */
  record Event(
      RecordRef source, String recordKey, SignedEvent event, Verdict verdict, long ledgerTime)
      implements Input {}

  /**
   * An input record that did not decode.
   *
   * @param reason MALFORMED or UNSUPPORTED_SCHEMA
   */
  record Undecodable(
      RecordRef source, String recordKey, RejectionReason reason, String detail, long ledgerTime)
      implements Input {}

  /** The wall clock: checkpoints whose interval has passed are made. */
  record Tick(long now) implements Input {}
}
