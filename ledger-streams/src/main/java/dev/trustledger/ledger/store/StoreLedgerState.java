package dev.trustledger.ledger.store;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.sequencer.DecisionKeys;
import dev.trustledger.ledger.sequencer.LedgerState;
import dev.trustledger.ledger.sequencer.StateChanges;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** The ledger's state in the sequencer task's RocksDB stores. */
public final class StoreLedgerState implements LedgerState {
  private final KeyValueStore<String, LedgerHead> head;
  private final KeyValueStore<String, PrincipalState> principals;
  private final KeyValueStore<String, String> children;
  private final WindowStore<String, Decision> decisions;

  public StoreLedgerState(
      KeyValueStore<String, LedgerHead> head,
      KeyValueStore<String, PrincipalState> principals,
      KeyValueStore<String, String> children,
      WindowStore<String, Decision> decisions) {
    this.head = head;
    this.principals = principals;
    this.children = children;
    this.decisions = decisions;
  }

  @Override
  public Optional<LedgerHead> head() {
    return Optional.ofNullable(head.get(StoreNames.HEAD_KEY));
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id) {
    return StoreReads.children(children, id, null, Integer.MAX_VALUE);
  }

  @Override
  public Optional<Decision> accepted(
      String subjectId, String eventId, String signerId, long from, long to) {
    return StoreReads.latest(
        decisions, DecisionKeys.accepted(subjectId, eventId, signerId), from, to);
  }

  @Override
  public Optional<Decision> interaction(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    return StoreReads.latest(
        decisions, DecisionKeys.interaction(reporterId, subjectId, interactionId), from, to);
  }

  /** Writes one step's changes (in the task's transaction). */
  public void apply(StateChanges changes) {
    if (changes.head() != null) {
      head.put(StoreNames.HEAD_KEY, changes.head());
    }
    changes.principals().forEach(principals::put);
    for (StateChanges.Link l : changes.links()) {
      children.put(StoreNames.childKey(l.parent(), l.child()), l.child());
    }
    for (StateChanges.Remembered r : changes.decisions()) {
      decisions.put(r.key(), r.decision(), r.time());
    }
  }
}
