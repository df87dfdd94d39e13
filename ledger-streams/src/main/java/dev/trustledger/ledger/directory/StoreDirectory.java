package dev.trustledger.ledger.directory;

import dev.trustledger.avro.EventOutcome;
import dev.trustledger.avro.OutcomeStatus;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.TrustState;
import dev.trustledger.ledger.rules.Directory;
import dev.trustledger.ledger.rules.LedgerRules;
import dev.trustledger.ledger.topology.StoreNames;
import dev.trustledger.trust.Evidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** The principal directory over the ledger's state stores (read-write or read-only). */
public final class StoreDirectory implements Directory {
  private final ReadOnlyKeyValueStore<String, Principal> principals;
  private final ReadOnlyKeyValueStore<String, String> children;
  private final ReadOnlyKeyValueStore<String, TrustState> trust;
  private final ReadOnlyWindowStore<String, EventOutcome> outcomes;
  private final ReadOnlyWindowStore<String, Long> interactions;

  public StoreDirectory(
      ReadOnlyKeyValueStore<String, Principal> principals,
      ReadOnlyKeyValueStore<String, String> children,
      ReadOnlyKeyValueStore<String, TrustState> trust,
      ReadOnlyWindowStore<String, EventOutcome> outcomes,
      ReadOnlyWindowStore<String, Long> interactions) {
    this.principals = principals;
    this.children = children;
    this.trust = trust;
    this.outcomes = outcomes;
    this.interactions = interactions;
  }

  @Override
  public Optional<Principal> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id) {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        children.range(StoreNames.childrenFrom(id), StoreNames.childrenTo(id))) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  @Override
  public Optional<Evidence> evidence(String agentId) {
    return Optional.ofNullable(trust.get(agentId)).map(LedgerRules::fromAvro);
  }

  @Override
  public boolean eventAccepted(String subjectId, String eventId, long from, long to) {
    try (WindowStoreIterator<EventOutcome> it =
        outcomes.fetch(
            StoreNames.outcomeKey(subjectId, eventId),
            Instant.ofEpochMilli(Math.max(0, from)),
            Instant.ofEpochMilli(to))) {
      while (it.hasNext()) {
        if (it.next().value.getStatus() == OutcomeStatus.ACCEPTED) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public boolean interactionCounted(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    try (WindowStoreIterator<Long> it =
        interactions.fetch(
            StoreNames.interactionKey(reporterId, subjectId, interactionId),
            Instant.ofEpochMilli(Math.max(0, from)),
            Instant.ofEpochMilli(to))) {
      return it.hasNext();
    }
  }

  /** The latest outcome of an event: accepted if any copy was, else the last rejection. */
  public Optional<EventOutcome> outcome(String subjectId, String eventId) {
    EventOutcome latest = null;
    try (WindowStoreIterator<EventOutcome> it =
        outcomes.fetch(
            StoreNames.outcomeKey(subjectId, eventId),
            Instant.EPOCH,
            Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
      while (it.hasNext()) {
        EventOutcome o = it.next().value;
        if (o.getStatus() == OutcomeStatus.ACCEPTED) {
          return Optional.of(o);
        }
        latest = o;
      }
    }
    return Optional.ofNullable(latest);
  }
}
