package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.audit.Problem.Kind.CHAIN_PREV_HASH;
import static dev.trustledger.ledger.audit.Problem.Kind.CHAIN_SEQ;
import static dev.trustledger.ledger.audit.Problem.Kind.DECISION;
import static dev.trustledger.ledger.audit.Problem.Kind.ENTRY;
import static dev.trustledger.ledger.audit.Problem.Kind.FACTS;
import static dev.trustledger.ledger.audit.Problem.Kind.LEDGER_SEQ;
import static dev.trustledger.ledger.audit.Problem.Kind.PARTITION;
import static dev.trustledger.ledger.audit.Problem.Kind.SIGNER_KEY;

import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.sequencer.Input;
import dev.trustledger.ledger.sequencer.MemoryLedgerState;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.sequencer.Step;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Replays a log in the ledger's order through the ledger's own step over {@link MemoryLedgerState}:
 * every entry must be the one the step writes, in the partition it chooses, continuing its chain;
 * every rejection the one the step makes. The auditor runs it over a whole log, the monitor over
 * each new checkpoint's entries.
 */
final class Replay {
  /** The verify stage's verdict on entry {@code i}, or null: the step then checks itself. */
  interface Verdicts {
    Verdict get(int i);
  }

  private final MemoryLedgerState state;
  private final List<Problem> problems;
  private final Set<String> subjects;
  private final Sequencer sequencer;
  private Verdicts verdicts = i -> null;

  Replay(
      MemoryLedgerState state, Sequencer sequencer, List<Problem> problems, Set<String> subjects) {
    this.state = state;
    this.sequencer = sequencer;
    this.problems = problems;
    this.subjects = subjects;
  }

  /**
   * Replays {@code entries} (in ledger order) and {@code rejections} (sorted by ledger_seq), the
   * rejections at position p before the entry at p, continuing from the state's next ledger_seq.
   */
  void run(List<At> entries, List<Located<Rejection>> rejections, Verdicts verdicts) {
    this.verdicts = verdicts;
    int r = 0;
    int i = 0;
    long expected = state.head().map(LedgerHead::getNextLedgerSeq).orElse(0L);
    while (i < entries.size()) {
      At at = entries.get(i);
      while (r < rejections.size()
          && rejections.get(r).value().getLedgerSeq() <= at.entry().getLedgerSeq()) {
        replayRejection(rejections.get(r++));
      }
      if (at.entry().getLedgerSeq() != expected) {
        problems.add(at.problem(LEDGER_SEQ, expected, at.entry().getLedgerSeq()));
      }
      i = replayEntry(entries, i);
      expected = entries.get(i - 1).entry().getLedgerSeq() + 1;
    }
    while (r < rejections.size()) {
      replayRejection(rejections.get(r++));
    }
  }

  /** Replays the input recorded by entry {@code i}; returns the index after its cascade. */
  private int replayEntry(List<At> entries, int i) {
    At at = entries.get(i);
    LedgerEntry logged = at.entry();
    subjects.add(logged.getSubjectId());
    checkLink(at);
    if (!(logged.getEvent() instanceof SignedEvent event)) {
      problems.add(
          at.problem(DECISION, "an entry that records an input", "a cascade entry with no cause"));
      align(logged);
      return i + 1;
    }
    Input.Event input =
        new Input.Event(
            null, logged.getSubjectId(), event, verdicts.get(i), logged.getLedgerTime());
    Step step;
    try {
      step = sequencer.step(state, input);
    } catch (RuntimeException e) {
      problems.add(
          at.problem(DECISION, "an input the ledger's step decides", "the step fails: " + e));
      align(logged);
      return i + 1;
    }
    if (step.rejection().isPresent()) {
      Rejection r = step.rejection().get();
      problems.add(
          at.problem(DECISION, "rejected " + r.getReason() + ": " + r.getDetail(), "accepted"));
      align(logged);
      int next = i + 1;
      while (next < entries.size()
          && entries.get(next).entry().getEvent() instanceof DerivedEvent) {
        At extra = entries.get(next++);
        subjects.add(extra.entry().getSubjectId());
        problems.add(extra.problem(DECISION, "no cascade", "a cascade of a rejected input"));
        align(extra.entry());
      }
      return next;
    }
    state.apply(step.changes());
    int next = i;
    for (Step.Placed produced : step.entries()) {
      if (next >= entries.size()
          || entries.get(next).entry().getLedgerSeq() != produced.entry().getLedgerSeq()) {
        problems.add(
            new Problem(
                DECISION,
                produced.partition(),
                -1,
                produced.entry().getSubjectId(),
                produced.entry().getSeq(),
                "an entry at ledger_seq " + produced.entry().getLedgerSeq(),
                "none"));
        continue;
      }
      At found = entries.get(next++);
      subjects.add(found.entry().getSubjectId());
      if (found != at) {
        checkLinkAfter(found, produced.entry());
      }
      compare(found, produced);
    }
    while (next < entries.size() && entries.get(next).entry().getEvent() instanceof DerivedEvent) {
      At extra = entries.get(next++);
      subjects.add(extra.entry().getSubjectId());
      problems.add(extra.problem(DECISION, "no cascade entry", "a cascade entry"));
      align(extra.entry());
    }
    return Math.max(next, i + 1);
  }

  /** The entry must be the one the step wrote, in the partition the step chose. */
  private void compare(At found, Step.Placed produced) {
    LedgerEntry logged = found.entry();
    LedgerEntry want = produced.entry();
    if (found.partition() != produced.partition()) {
      problems.add(
          found.problem(PARTITION, "partition " + produced.partition(), found.partition()));
    }
    // Equal hashes of the content mean equal content: the field by field comparison is only for
    // naming what differs.
    if (!Arrays.equals(Buffers.toArray(want.getEntryHash()), found.computed())) {
      if (!Objects.equals(want.getFacts(), logged.getFacts())) {
        boolean key =
            !Objects.equals(
                want.getFacts().getSignerPublicKey(), logged.getFacts().getSignerPublicKey());
        problems.add(found.problem(key ? SIGNER_KEY : FACTS, want.getFacts(), logged.getFacts()));
      } else {
        problems.add(found.problem(ENTRY, EntryHash.unhashed(want), EntryHash.unhashed(logged)));
      }
      align(logged);
    } else if (!want.getEntryHash().equals(logged.getEntryHash())) {
      align(logged);
    }
  }

  /** The chain of the entry's subject must end where the entry says it continues. */
  private void checkLink(At at) {
    LedgerEntry entry = at.entry();
    long[] seq = {-1};
    ByteBuffer[] head = {ByteBuffer.wrap(EntryHash.genesis())};
    chain(entry.getSubjectId(), seq, head);
    if (entry.getSeq() != seq[0] + 1) {
      problems.add(at.problem(CHAIN_SEQ, seq[0] + 1, entry.getSeq()));
    }
    if (!head[0].equals(entry.getPrevHash())) {
      problems.add(
          at.problem(
              CHAIN_PREV_HASH, Buffers.toArray(head[0]), Buffers.toArray(entry.getPrevHash())));
    }
    state.align(
        entry.getSubjectId(), entry.getLedgerSeq(), entry.getSeq() - 1, entry.getPrevHash());
  }

  /** A cascade entry the step wrote continues its chain as the step did; check the log's. */
  private void checkLinkAfter(At found, LedgerEntry produced) {
    LedgerEntry entry = found.entry();
    if (entry.getSeq() != produced.getSeq()) {
      problems.add(found.problem(CHAIN_SEQ, produced.getSeq(), entry.getSeq()));
    } else if (!produced.getPrevHash().equals(entry.getPrevHash())) {
      problems.add(
          found.problem(
              CHAIN_PREV_HASH,
              Buffers.toArray(produced.getPrevHash()),
              Buffers.toArray(entry.getPrevHash())));
    }
  }

  /** The seq and head of a subject's chain in the replayed state. */
  private void chain(String subjectId, long[] seq, ByteBuffer[] head) {
    Optional<LedgerHead> h = state.head();
    if (h.isPresent() && subjectId.equals(Sequencer.ledgerId(h.get()))) {
      seq[0] = h.get().getChainSeq();
      head[0] = h.get().getChainHead();
      return;
    }
    Optional<PrincipalState> p = state.principal(subjectId);
    if (p.isPresent()) {
      seq[0] = p.get().getChainSeq();
      head[0] = p.get().getChainHead();
    }
  }

  /** Continues from the log's entry, so that one wrong entry is reported once. */
  private void align(LedgerEntry logged) {
    state.align(
        logged.getSubjectId(), logged.getLedgerSeq() + 1, logged.getSeq(), logged.getEntryHash());
  }

  /** The step must reject the input as the log says, against the state at its ledger_seq. */
  private void replayRejection(Located<Rejection> located) {
    Rejection logged = located.value();
    Problem.Kind kind = DECISION;
    String where = "rejection at " + located.partition() + "/" + located.offset();
    long position = state.head().map(LedgerHead::getNextLedgerSeq).orElse(0L);
    if (logged.getLedgerSeq() != position) {
      problems.add(rejectionProblem(located, LEDGER_SEQ, position, logged.getLedgerSeq()));
      return;
    }
    Input input =
        logged.getEvent() == null
            ? new Input.Undecodable(
                logged.getSource(),
                logged.getRecordKey(),
                logged.getReason(),
                logged.getDetail(),
                logged.getSource().getTimestamp())
            : new Input.Event(
                logged.getSource(),
                logged.getRecordKey(),
                logged.getEvent(),
                null,
                logged.getSource().getTimestamp());
    if (logged.getEvent() == null
        && logged.getReason() != RejectionReason.MALFORMED
        && logged.getReason() != RejectionReason.UNSUPPORTED_SCHEMA) {
      problems.add(
          rejectionProblem(
              located,
              kind,
              "MALFORMED or UNSUPPORTED_SCHEMA for an input without an event",
              logged.getReason()));
      return;
    }
    try {
      Step step = sequencer.step(state, input);
      if (step.rejection().isEmpty()) {
        problems.add(rejectionProblem(located, kind, "accepted by the ledger's step", where));
        return;
      }
      Rejection want = step.rejection().get();
      if (!want.equals(logged)) {
        problems.add(
            rejectionProblem(
                located,
                kind,
                want.getReason() + ": " + want.getDetail(),
                logged.getReason() + ": " + logged.getDetail()));
      }
      state.apply(step.changes());
    } catch (RuntimeException e) {
      problems.add(rejectionProblem(located, kind, "an input the ledger's step decides", e));
    }
  }

  private Problem rejectionProblem(
      Located<Rejection> located, Problem.Kind kind, Object expected, Object found) {
    Rejection r = located.value();
    return new Problem(
        kind,
        located.partition(),
        located.offset(),
        r.getSubjectId() == null ? "" : r.getSubjectId(),
        -1,
        LogAuditor.str(expected),
        LogAuditor.str(found));
  }
}
