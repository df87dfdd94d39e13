package dev.trustledger.ledger.directory;

import dev.trustledger.avro.EventOutcome;
import dev.trustledger.avro.OutcomeStatus;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.TrustState;
import dev.trustledger.ledger.rules.LedgerRules;
import dev.trustledger.ledger.rules.MutableDirectory;
import dev.trustledger.ledger.topology.StoreNames;
import dev.trustledger.trust.Evidence;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** The sequencer's directory: its RocksDB stores, read and written. */
public final class WritableStoreDirectory implements MutableDirectory {
  private final KeyValueStore<String, Principal> principals;
  private final KeyValueStore<String, String> children;
  private final KeyValueStore<String, TrustState> trust;
  private final WindowStore<String, EventOutcome> outcomes;
  private final WindowStore<String, Long> interactions;
  private final StoreDirectory reads;

  public WritableStoreDirectory(
      KeyValueStore<String, Principal> principals,
      KeyValueStore<String, String> children,
      KeyValueStore<String, TrustState> trust,
      WindowStore<String, EventOutcome> outcomes,
      WindowStore<String, Long> interactions) {
    this.principals = principals;
    this.children = children;
    this.trust = trust;
    this.outcomes = outcomes;
    this.interactions = interactions;
    this.reads = new StoreDirectory(principals, children, trust, outcomes, interactions);
  }

  @Override
  public Optional<Principal> principal(String id) {
    return reads.principal(id);
  }

  @Override
  public List<String> children(String id) {
    return reads.children(id);
  }

  @Override
  public Optional<Evidence> evidence(String agentId) {
    return reads.evidence(agentId);
  }

  @Override
  public void addChild(String parent, String child) {
    children.put(StoreNames.childKey(parent, child), child);
  }

  @Override
  public boolean eventAccepted(String subjectId, String eventId, long from, long to) {
    return reads.eventAccepted(subjectId, eventId, from, to);
  }

  @Override
  public boolean interactionCounted(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    return reads.interactionCounted(reporterId, subjectId, interactionId, from, to);
  }

  @Override
  public void putPrincipal(Principal principal) {
    principals.put(principal.getId(), principal);
  }

  @Override
  public void putEvidence(String agentId, Evidence evidence) {
    trust.put(agentId, LedgerRules.toAvro(evidence));
  }

  @Override
  public void recordAccepted(
      String subjectId, String eventId, long t, long seq, ByteBuffer entryHash) {
    putOutcome(
        subjectId,
        eventId,
        EventOutcome.newBuilder()
            .setStatus(OutcomeStatus.ACCEPTED)
            .setSeq(seq)
            .setEntryHash(entryHash)
            .setLedgerTime(t)
            .build());
  }

  /** Stores the outcome of an event at its ledger time (replacing one stored at that time). */
  public void putOutcome(String subjectId, String eventId, EventOutcome outcome) {
    outcomes.put(StoreNames.outcomeKey(subjectId, eventId), outcome, outcome.getLedgerTime());
  }

  @Override
  public void recordInteraction(String reporterId, String subjectId, String interactionId, long t) {
    interactions.put(StoreNames.interactionKey(reporterId, subjectId, interactionId), t, t);
  }
}
