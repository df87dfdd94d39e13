package dev.trustledger.ledger.sequencer;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The ledger's state in memory, for the auditor's replay and for tests. It keeps every decision
 * (nothing expires), which answers the same as the node's window stores within the dedupe window.
 */
public final class MemoryLedgerState implements LedgerState {
  private final Map<String, PrincipalState> principals = new HashMap<>();
  private final Map<String, TreeSet<String>> children = new HashMap<>();

  /** Decisions by key: one (the usual case) or, in time order, several. */
  private final Map<String, Object> decisions = new HashMap<>();

  private LedgerHead head;

  @Override
  public Optional<LedgerHead> head() {
    return Optional.ofNullable(head);
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id) {
    TreeSet<String> c = children.get(id);
    return c == null ? List.of() : List.copyOf(c);
  }

  @Override
  public Optional<Decision> accepted(
      String subjectId, String eventId, String signerId, long from, long to) {
    return latest(DecisionKeys.accepted(subjectId, eventId, signerId), from, to);
  }

  @Override
  public Optional<Decision> interaction(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    return latest(DecisionKeys.interaction(reporterId, subjectId, interactionId), from, to);
  }

  /** The latest decision kept under {@code key} at a time in [from, to]. */
  public Optional<Decision> latest(String key, long from, long to) {
    Object kept = decisions.get(key);
    if (kept == null || from > to) {
      return Optional.empty();
    }
    if (kept instanceof StateChanges.Remembered one) {
      return one.time() >= from && one.time() <= to
          ? Optional.of(one.decision())
          : Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<StateChanges.Remembered> several = (List<StateChanges.Remembered>) kept;
    for (int i = several.size() - 1; i >= 0; i--) {
      StateChanges.Remembered r = several.get(i);
      if (r.time() >= from && r.time() <= to) {
        return Optional.of(r.decision());
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private void remember(StateChanges.Remembered r) {
    Object kept = decisions.get(r.key());
    if (kept == null) {
      decisions.put(r.key(), r);
      return;
    }
    List<StateChanges.Remembered> several;
    if (kept instanceof StateChanges.Remembered one) {
      several = new ArrayList<>();
      several.add(one);
      decisions.put(r.key(), several);
    } else {
      several = (List<StateChanges.Remembered>) kept;
    }
    // Keep time order; a decision at a time already kept replaces it, as in a window store.
    int i = several.size();
    while (i > 0 && several.get(i - 1).time() > r.time()) {
      i--;
    }
    if (i > 0 && several.get(i - 1).time() == r.time()) {
      several.set(i - 1, r);
    } else {
      several.add(i, r);
    }
  }

  /** Applies one step's changes. */
  public void apply(StateChanges changes) {
    if (changes.head() != null) {
      head = changes.head();
    }
    principals.putAll(changes.principals());
    for (StateChanges.Link l : changes.links()) {
      children.computeIfAbsent(l.parent(), k -> new TreeSet<>()).add(l.child());
    }
    changes.decisions().forEach(this::remember);
  }

  /**
   * Moves the next {@code ledger_seq} and a chain's head to where a log under audit has them, so
   * that one wrong entry is reported once rather than in every entry after it.
   *
   * @param subjectId the chain's subject (a principal, or the ledger itself)
   * @param nextLedgerSeq the next entry's ledger_seq
   * @param seq seq of the chain's latest entry (-1: none)
   * @param entryHash entry_hash of the chain's latest entry
   */
  public void align(String subjectId, long nextLedgerSeq, long seq, ByteBuffer entryHash) {
    if (head == null) {
      return;
    }
    LedgerHead.Builder h = LedgerHead.newBuilder(head).setNextLedgerSeq(nextLedgerSeq);
    if (subjectId.equals(Sequencer.ledgerId(head))) {
      h.setChainSeq(seq).setChainHead(entryHash);
    } else {
      PrincipalState p = principals.get(subjectId);
      if (p != null) {
        principals.put(
            subjectId,
            PrincipalState.newBuilder(p)
                .setChainSeq(seq)
                .setChainHead(entryHash)
                .setChainLedgerSeq(nextLedgerSeq - 1)
                .build());
      }
    }
    head = h.build();
  }

  /** Every principal, by id. */
  public Map<String, PrincipalState> principals() {
    return Map.copyOf(principals);
  }
}
