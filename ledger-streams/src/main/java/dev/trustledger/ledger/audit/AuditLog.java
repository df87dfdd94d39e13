package dev.trustledger.ledger.audit;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import java.util.List;
import java.util.Map;

/**
 * The log as an auditor reads it.
 *
 * @param entries entries by partition, each list in offset order
 * @param checkpoints checkpoints in the order they were published
 * @param rejections every rejection, in any order
 * @param inputs the records of {@code ledger.events}, or null when the auditor has not read them;
 *     then no input is known to be missing
 * @param observed checkpoint notes seen outside the log (a node's {@code /checkpoint}, receipts,
 *     another copy of the log), possibly with witness cosignatures: each must be of this log's tree
 */
public record AuditLog(
    Map<Integer, List<Located<LedgerEntry>>> entries,
    List<Located<Checkpoint>> checkpoints,
    List<Located<Rejection>> rejections,
    List<InputRecord> inputs,
    List<Observed> observed) {

  /**
   * A checkpoint note an auditor obtained elsewhere.
   *
   * @param source where it came from, for the report
   * @param note the signed note, with any cosignatures
   */
  public record Observed(String source, String note) {}

  public AuditLog(
      Map<Integer, List<Located<LedgerEntry>>> entries,
      List<Located<Checkpoint>> checkpoints,
      List<Located<Rejection>> rejections,
      List<InputRecord> inputs) {
    this(entries, checkpoints, rejections, inputs, List.of());
  }

  public AuditLog(
      Map<Integer, List<Located<LedgerEntry>>> entries, List<Located<Checkpoint>> checkpoints) {
    this(entries, checkpoints, List.of(), null);
  }

  public long entryCount() {
    return entries.values().stream().mapToLong(List::size).sum();
  }

  /** The same log with other entries. */
  public AuditLog withEntries(Map<Integer, List<Located<LedgerEntry>>> other) {
    return new AuditLog(other, checkpoints, rejections, inputs, observed);
  }

  /** The same log with other rejections. */
  public AuditLog withRejections(List<Located<Rejection>> other) {
    return new AuditLog(entries, checkpoints, other, inputs, observed);
  }

  /** The same log with other checkpoints. */
  public AuditLog withCheckpoints(List<Located<Checkpoint>> other) {
    return new AuditLog(entries, other, rejections, inputs, observed);
  }

  /** The same log with checkpoints observed elsewhere to check against it. */
  public AuditLog withObserved(List<Observed> other) {
    return new AuditLog(entries, checkpoints, rejections, inputs, other);
  }
}
