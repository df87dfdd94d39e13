package dev.trustledger.topic;

import java.util.List;

/**
 * Names of the ledger's topics.
 *
 * @param events signed events in (keyed by subject id)
 * @param entries hash-chained entries out (keyed by subject id)
 * @param rejections one rejection per refused input
 * @param checkpoints signed checkpoints of the entries partitions (keyed by partition)
 * @param keys public keys of registered principals (compacted, keyed by id), read by verifiers
 * @param views each principal's current state and the ledger's head (compacted, one partition),
 *     read by every node's read model
 */
public record LedgerTopics(
    String events,
    String entries,
    String rejections,
    String checkpoints,
    String keys,
    String views) {

  public static final LedgerTopics DEFAULT =
      new LedgerTopics(
          "ledger.events",
          "ledger.entries",
          "ledger.rejections",
          "ledger.checkpoints",
          "ledger.keys",
          "ledger.views");

  public List<String> all() {
    return List.of(events, entries, rejections, checkpoints, keys, views);
  }
}
