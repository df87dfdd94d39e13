package dev.trustledger.ledger.rules;

import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.trust.Evidence;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A directory that accepted decisions are written to. The sequencer's is its RocksDB stores, the
 * auditor's is in memory; {@link #apply} is the one way both change.
 */
public interface MutableDirectory extends Directory {

  void putPrincipal(Principal principal);

  void putEvidence(String agentId, Evidence evidence);

  /** Registers {@code child} under {@code parent}. */
  void addChild(String parent, String child);

  /** Remembers an accepted event (for dedupe and the event status API) and its entry. */
  void recordAccepted(String subjectId, String eventId, long t, long seq, ByteBuffer entryHash);

  /** Remembers a counted interaction for dedupe. */
  void recordInteraction(String reporterId, String subjectId, String interactionId, long t);

  /** Writes an accepted decision about {@code event}, recorded as {@code entry}. */
  default void apply(SignedEvent event, Decision.Accept decision, LedgerEntry entry) {
    long t = entry.getLedgerTime();
    for (Principal p : decision.principals()) {
      putPrincipal(p);
    }
    for (Decision.Link link : decision.links()) {
      addChild(link.parent(), link.child());
    }
    for (Map.Entry<String, Evidence> e : decision.evidence().entrySet()) {
      putEvidence(e.getKey(), e.getValue());
    }
    recordAccepted(
        event.getSubjectId(), event.getEventId(), t, entry.getSeq(), entry.getEntryHash());
    if (event.getPayload() instanceof BehaviourReported r) {
      recordInteraction(event.getSignerId(), event.getSubjectId(), r.getInteractionId(), t);
    }
  }
}
