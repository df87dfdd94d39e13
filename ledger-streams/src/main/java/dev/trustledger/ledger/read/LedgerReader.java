package dev.trustledger.ledger.read;

import dev.trustledger.avro.ChainHead;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.EventOutcome;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Principal;
import dev.trustledger.trust.Evidence;
import java.util.List;
import java.util.Optional;

/**
 * What the query side reads from the ledger's stores. Implementations read local stores; the query
 * API decides which node to ask.
 */
public interface LedgerReader {

  Optional<Principal> principal(String id);

  /**
   * Up to {@code limit} principals registered under {@code id} (a sponsor's agents, an agent's
   * sub-agents) in id order, starting after {@code after} (null: from the first).
   */
  List<String> children(String id, String after, int limit);

  Optional<Evidence> evidence(String agentId);

  Optional<ChainHead> head(String subjectId);

  /** Up to {@code limit} entries of a subject's chain from {@code fromSeq}, in seq order. */
  List<LedgerEntry> entries(String subjectId, long fromSeq, int limit);

  /** What became of an event still within the dedupe window. */
  Optional<EventOutcome> outcome(String subjectId, String eventId);

  /** The latest checkpoint of every entries partition that has one. */
  List<Checkpoint> checkpoints();

  /** Number of principals in the directory. */
  long principalCount();
}
