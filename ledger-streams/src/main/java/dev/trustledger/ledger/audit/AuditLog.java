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
 */
public record AuditLog(
    Map<Integer, List<Located<LedgerEntry>>> entries,
    List<Located<Checkpoint>> checkpoints,
    List<Located<Rejection>> rejections,
    List<InputRecord> inputs) {

  public AuditLog(
      Map<Integer, List<Located<LedgerEntry>>> entries, List<Located<Checkpoint>> checkpoints) {
    this(entries, checkpoints, List.of(), null);
  }

  public long entryCount() {
    return entries.values().stream().mapToLong(List::size).sum();
  }

  /** The same log with other entries. */
  public AuditLog withEntries(Map<Integer, List<Located<LedgerEntry>>> other) {
    return new AuditLog(other, checkpoints, rejections, inputs);
  }

  /** The same log with other rejections. */
  public AuditLog withRejections(List<Located<Rejection>> other) {
    return new AuditLog(entries, checkpoints, other, inputs);
  }

  /** The same log with other checkpoints. */
  public AuditLog withCheckpoints(List<Located<Checkpoint>> other) {
    return new AuditLog(entries, other, rejections, inputs);
  }
}
