package dev.trustledger.ledger.sequencer;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The state as one step sees it: the state before, with the step's own writes on top. At the end
 * its writes are the step's {@link StateChanges}.
 */
final class Overlay implements LedgerState {
  private final LedgerState base;
  private final Map<String, PrincipalState> principals = new LinkedHashMap<>();
  private final List<StateChanges.Link> links = new ArrayList<>();
  private final List<StateChanges.Remembered> decisions = new ArrayList<>();
  private LedgerHead head;

  Overlay(LedgerState base) {
    this.base = base;
  }

  @Override
  public Optional<LedgerHead> head() {
    return head != null ? Optional.of(head) : base.head();
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    PrincipalState p = principals.get(id);
    return p != null ? Optional.of(p) : base.principal(id);
  }

  @Override
  public List<String> children(String id) {
    List<String> from = base.children(id);
    boolean added = false;
    for (StateChanges.Link l : links) {
      added |= l.parent().equals(id);
    }
    if (!added) {
      return from;
    }
    TreeSet<String> all = new TreeSet<>(from);
    for (StateChanges.Link l : links) {
      if (l.parent().equals(id)) {
        all.add(l.child());
      }
    }
    return List.copyOf(all);
  }

  @Override
  public Optional<Decision> accepted(
      String subjectId, String eventId, String signerId, long from, long to) {
    return base.accepted(subjectId, eventId, signerId, from, to);
  }

  @Override
  public Optional<Decision> interaction(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    return base.interaction(reporterId, subjectId, interactionId, from, to);
  }

  void putHead(LedgerHead head) {
    this.head = head;
  }

  void put(PrincipalState principal) {
    principals.put(principal.getId(), principal);
  }

  void link(StateChanges.Link link) {
    links.add(link);
  }

  void remember(String key, long time, Decision decision) {
    decisions.add(new StateChanges.Remembered(key, time, decision));
  }

  StateChanges changes() {
    return new StateChanges(head, principals, links, decisions);
  }
}
