package dev.trustledger.ledger.audit;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import java.util.List;
import java.util.Map;

/**
 * The log as an auditor reads it: the entries of every partition in offset order, and every
 * checkpoint.
 *
 * @param entries entries by partition, each list in offset order
 * @param checkpoints checkpoints in the order they were published
 */
public record AuditLog(
    Map<Integer, List<Located<LedgerEntry>>> entries, List<Located<Checkpoint>> checkpoints) {

  public long entryCount() {
    return entries.values().stream().mapToLong(List::size).sum();
  }
}
