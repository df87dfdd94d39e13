package dev.trustledger.ledger.audit;

import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.trust.Evidence;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an audit found.
 *
 * @param entries entries read
 * @param treeSize leaves of the Merkle tree of the log's entries
 * @param rootHash its root, hex
 * @param subjects distinct chains
 * @param partitions entries partitions
 * @param checkpoints checkpoints verified
 * @param rejections rejections replayed
 * @param problems everything wrong, in log order
 * @param trust the trust evidence of every agent recomputed from the log
 * @param parameters the ledger parameters in force at the end of the log (null without a genesis)
 * @param elapsed wall time of the audit
 */
public record AuditReport(
    long entries,
    long treeSize,
    String rootHash,
    int subjects,
    int partitions,
    int checkpoints,
    long rejections,
    List<Problem> problems,
    Map<String, Evidence> trust,
    LedgerParameters parameters,
    Duration elapsed) {

  public boolean ok() {
    return problems.isEmpty();
  }

  public double entriesPerSecond() {
    double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
    return entries / seconds;
  }
}
