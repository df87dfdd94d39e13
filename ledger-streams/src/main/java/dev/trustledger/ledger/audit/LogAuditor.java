package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.audit.Problem.Kind.CHAIN_PREV_HASH;
import static dev.trustledger.ledger.audit.Problem.Kind.CHAIN_SEQ;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_CONTRADICTION;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_HASH;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_SIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_SIZE;
import static dev.trustledger.ledger.audit.Problem.Kind.DECISION;
import static dev.trustledger.ledger.audit.Problem.Kind.ENTRY_HASH;
import static dev.trustledger.ledger.audit.Problem.Kind.FACTS;
import static dev.trustledger.ledger.audit.Problem.Kind.LEDGER_SEQ;
import static dev.trustledger.ledger.audit.Problem.Kind.MALFORMED;
import static dev.trustledger.ledger.audit.Problem.Kind.POP_SIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.SIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.SIGNER_KEY;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.chain.LogHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.directory.MemoryDirectory;
import dev.trustledger.ledger.rules.Decision;
import dev.trustledger.ledger.rules.LedgerRules;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a ledger log without trusting its operator: entry hashes, chain links, the total order,
 * every signature (in parallel), the partition log hashes against signed checkpoints, and every
 * decision and recorded fact by re-running the ledger's own rules over the log. Uses the same
 * chain, signature, rules and trust code as the ledger.
 */
public final class LogAuditor {
  private final LedgerRules rules;
  private final NoteKey ledgerKey;
  private final EventVerifier verifier;

  public LogAuditor(LedgerRules rules, NoteKey ledgerKey, EventVerifier verifier) {
    this.rules = rules;
    this.ledgerKey = ledgerKey;
    this.verifier = verifier;
  }

  /**
   * The auditor of a ledger configured as {@code config} (admins, trust parameters, replay window),
   * whose checkpoints are signed by {@code ledgerKey} under the ledger's name.
   */
  public static LogAuditor of(LedgerConfig config, Ed25519PublicKey ledgerKey) {
    return new LogAuditor(
        LedgerRules.of(config),
        new NoteKey(config.ledgerName(), ledgerKey),
        new EventVerifier(new PublicKeyCache(1_000_000)));
  }

  /** An entry with where it stands. */
  private record At(int partition, long offset, LedgerEntry entry) {
    Problem problem(Problem.Kind kind, Object expected, Object found) {
      return new Problem(
          kind, partition, offset, entry.getSubjectId(), entry.getSeq(), str(expected), str(found));
    }
  }

  public AuditReport audit(AuditLog log) {
    long start = System.nanoTime();
    List<Problem> problems = new ArrayList<>();
    List<At> all = new ArrayList<>();
    Map<Integer, List<CheckpointBody>> signed = verifyCheckpointSignatures(log, problems);

    for (Map.Entry<Integer, List<Located<LedgerEntry>>> partition :
        new java.util.TreeMap<>(log.entries()).entrySet()) {
      auditPartition(
          partition.getKey(),
          partition.getValue(),
          signed.getOrDefault(partition.getKey(), List.of()),
          problems,
          all);
    }
    for (Map.Entry<Integer, List<CheckpointBody>> e : signed.entrySet()) {
      if (!log.entries().containsKey(e.getKey())) {
        for (CheckpointBody body : e.getValue()) {
          if (body.size() > 0) {
            problems.add(
                checkpointProblem(CHECKPOINT_SIZE, e.getKey(), body.size() + " entries", "0"));
          }
        }
      }
    }
    // The replay is serial and the signature checks parallel: run them side by side.
    MemoryDirectory directory = new MemoryDirectory();
    List<Problem> replayProblems = new ArrayList<>();
    java.util.concurrent.CompletableFuture<Set<String>> replayed =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> replay(all, directory, replayProblems), LogAuditor::runOnOwnThread);
    problems.addAll(verifySignatures(all));
    Set<String> subjects = replayed.join();
    problems.addAll(replayProblems);
    int checkpoints = signed.values().stream().mapToInt(List::size).sum();
    return new AuditReport(
        all.size(),
        subjects.size(),
        log.entries().size(),
        checkpoints,
        List.copyOf(problems),
        directory.allEvidence(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static void runOnOwnThread(Runnable task) {
    Thread thread = new Thread(task, "audit-replay");
    thread.setDaemon(true);
    thread.start();
  }

  private Map<Integer, List<CheckpointBody>> verifyCheckpointSignatures(
      AuditLog log, List<Problem> problems) {
    Map<Integer, List<CheckpointBody>> signed = new HashMap<>();
    for (Located<Checkpoint> located : log.checkpoints()) {
      if (located.value() == null) {
        problems.add(
            new Problem(
                MALFORMED,
                located.partition(),
                located.offset(),
                "",
                -1,
                "a checkpoint",
                located.error()));
        continue;
      }
      Checkpoint c = located.value();
      try {
        CheckpointBody body = ledgerKey.verify(c.getNote());
        String wantOrigin = CheckpointBody.origin(ledgerKey.name(), c.getPartition());
        if (!body.origin().equals(wantOrigin)) {
          problems.add(
              new Problem(
                  CHECKPOINT_SIGNATURE,
                  located.partition(),
                  located.offset(),
                  "",
                  -1,
                  wantOrigin,
                  body.origin()));
          continue;
        }
        signed.computeIfAbsent(c.getPartition(), k -> new ArrayList<>()).add(body);
      } catch (NoteException e) {
        problems.add(
            new Problem(
                CHECKPOINT_SIGNATURE,
                located.partition(),
                located.offset(),
                "",
                -1,
                "a note signed by " + ledgerKey.name(),
                e.getMessage()));
      }
    }
    return signed;
  }

  private void auditPartition(
      int partition,
      List<Located<LedgerEntry>> entries,
      List<CheckpointBody> checkpoints,
      List<Problem> problems,
      List<At> all) {
    Set<Long> sizes = new HashSet<>();
    checkpoints.forEach(c -> sizes.add(c.size()));
    Map<Long, byte[]> logAt = new HashMap<>();
    byte[] log = LogHash.empty();
    logAt.put(0L, log);
    long size = 0;
    long lastLedgerSeq = -1;
    List<byte[]> hashes =
        entries.parallelStream()
            .map(l -> l.value() == null ? null : EntryHash.compute(l.value()))
            .toList();
    for (int i = 0; i < entries.size(); i++) {
      Located<LedgerEntry> located = entries.get(i);
      size++;
      if (located.value() == null) {
        problems.add(
            new Problem(
                MALFORMED, partition, located.offset(), "", -1, "a ledger entry", located.error()));
        continue;
      }
      At at = new At(partition, located.offset(), located.value());
      LedgerEntry entry = located.value();
      byte[] recorded = Buffers.toArray(entry.getEntryHash());
      byte[] computed = hashes.get(i);
      if (!Arrays.equals(recorded, computed)) {
        problems.add(at.problem(ENTRY_HASH, computed, recorded));
      }
      if (entry.getLedgerSeq() <= lastLedgerSeq) {
        problems.add(at.problem(LEDGER_SEQ, "above " + lastLedgerSeq, entry.getLedgerSeq()));
      }
      lastLedgerSeq = Math.max(lastLedgerSeq, entry.getLedgerSeq());
      log = LogHash.next(log, recorded.length == 32 ? recorded : computed);
      if (sizes.contains(size)) {
        logAt.put(size, log);
      }
      all.add(at);
    }
    checkCheckpoints(partition, checkpoints, logAt, size, problems);
  }

  private static void checkCheckpoints(
      int partition,
      List<CheckpointBody> checkpoints,
      Map<Long, byte[]> logAt,
      long size,
      List<Problem> problems) {
    Map<Long, byte[]> signedAt = new HashMap<>();
    long largestMatching = -1;
    List<CheckpointBody> mismatching = new ArrayList<>();
    for (CheckpointBody c : checkpoints) {
      byte[] earlier = signedAt.putIfAbsent(c.size(), c.logHash());
      if (earlier != null && !Arrays.equals(earlier, c.logHash())) {
        problems.add(
            checkpointProblem(
                CHECKPOINT_CONTRADICTION,
                partition,
                "one hash at size " + c.size() + ": " + Hex.encode(earlier),
                Hex.encode(c.logHash())));
      }
      if (c.size() > size) {
        problems.add(
            checkpointProblem(
                CHECKPOINT_SIZE,
                partition,
                c.size() + " entries (signed)",
                size + " entries in the log"));
        continue;
      }
      byte[] actual = logAt.get(c.size());
      if (!Arrays.equals(actual, c.logHash())) {
        problems.add(
            checkpointProblem(
                CHECKPOINT_HASH,
                partition,
                "log hash at size " + c.size() + " " + Hex.encode(c.logHash()),
                Hex.encode(actual)));
        mismatching.add(c);
      } else {
        largestMatching = Math.max(largestMatching, c.size());
      }
    }
    for (CheckpointBody c : mismatching) {
      if (largestMatching > c.size()) {
        problems.add(
            checkpointProblem(
                CHECKPOINT_CONTRADICTION,
                partition,
                "history at size " + c.size() + " as signed earlier",
                "a rewritten history signed again at size " + largestMatching));
      }
    }
  }

  private static Problem checkpointProblem(
      Problem.Kind kind, int partition, String expected, String found) {
    return new Problem(kind, partition, -1, "", -1, expected, found);
  }

  /** Signature and proof of possession of every event, with the key recorded in its entry. */
  private List<Problem> verifySignatures(List<At> all) {
    return all.parallelStream()
        .filter(at -> at.entry().getEvent() instanceof SignedEvent)
        .map(
            at -> {
              byte[] key = Buffers.toArray(at.entry().getFacts().getSignerPublicKey());
              if (key == null) {
                return Optional.of(at.problem(SIGNATURE, "a recorded signer key", "none"));
              }
              Optional<Rejected> bad = verifier.verify((SignedEvent) at.entry().getEvent(), key);
              return bad.map(
                  r ->
                      at.problem(
                          r.reason() == RejectionReason.BAD_SIGNATURE
                              ? SIGNATURE
                              : r.reason() == RejectionReason.BAD_POP_SIGNATURE
                                  ? POP_SIGNATURE
                                  : DECISION,
                          "a valid event",
                          r.reason() + ": " + r.detail()));
            })
        .flatMap(Optional::stream)
        .toList();
  }

  /** Replays the log in the ledger's total order with the ledger's rules. */
  private Set<String> replay(List<At> all, MemoryDirectory directory, List<Problem> problems) {
    List<At> ordered = new ArrayList<>(all);
    ordered.sort(Comparator.comparingLong(at -> at.entry().getLedgerSeq()));
    Map<String, LedgerEntry> last = new HashMap<>();
    Deque<String[]> expectedCascade = new ArrayDeque<>();
    long nextLedgerSeq = 0;
    for (At at : ordered) {
      LedgerEntry entry = at.entry();
      if (entry.getLedgerSeq() != nextLedgerSeq) {
        problems.add(at.problem(LEDGER_SEQ, nextLedgerSeq, entry.getLedgerSeq()));
      }
      nextLedgerSeq = entry.getLedgerSeq() + 1;
      checkLink(at, last.get(entry.getSubjectId()), problems);
      last.put(entry.getSubjectId(), entry);
      if (entry.getEvent() instanceof DerivedEvent derived) {
        String[] want = expectedCascade.pollFirst();
        if (want == null
            || !want[0].equals(entry.getSubjectId())
            || !want[1].equals(Hex.encode(Buffers.toArray(derived.getCauseHash())))) {
          problems.add(
              at.problem(
                  DECISION,
                  want == null
                      ? "no cascade entry"
                      : "cascade to " + want[0] + " caused by " + want[1],
                  "cascade caused by " + Hex.encode(Buffers.toArray(derived.getCauseHash()))));
          continue;
        }
        EntryFacts facts =
            EntryFacts.newBuilder()
                .setStatusAfter(PrincipalStatus.REVOKED)
                .setTrustAfter(
                    directory.evidence(entry.getSubjectId()).map(LedgerRules::toAvro).orElse(null))
                .build();
        if (!facts.equals(entry.getFacts())) {
          problems.add(at.problem(FACTS, facts, entry.getFacts()));
        }
        continue;
      }
      while (!expectedCascade.isEmpty()) {
        String[] missing = expectedCascade.pollFirst();
        problems.add(
            at.problem(DECISION, "cascade to " + missing[0] + " caused by " + missing[1], "none"));
      }
      SignedEvent event = (SignedEvent) entry.getEvent();
      Optional<byte[]> registered = rules.signerKey(event.getSignerId(), directory);
      byte[] recorded = Buffers.toArray(entry.getFacts().getSignerPublicKey());
      if (registered.isPresent() && !Arrays.equals(registered.get(), recorded)) {
        problems.add(at.problem(SIGNER_KEY, registered.get(), recorded));
      }
      Decision decision = rules.decide(event, entry.getLedgerTime(), directory);
      if (decision instanceof Decision.Reject r) {
        problems.add(
            at.problem(
                DECISION,
                "rejected " + r.rejected().reason() + ": " + r.rejected().detail(),
                "accepted"));
        continue;
      }
      Decision.Accept accept = (Decision.Accept) decision;
      if (!accept.facts().equals(entry.getFacts())) {
        problems.add(at.problem(FACTS, accept.facts(), entry.getFacts()));
      }
      directory.apply(event, accept, entry);
      String cause = Hex.encode(Buffers.toArray(entry.getEntryHash()));
      for (String agent : accept.cascade()) {
        expectedCascade.addLast(new String[] {agent, cause});
      }
    }
    for (String[] missing : expectedCascade) {
      problems.add(
          new Problem(DECISION, -1, -1, missing[0], -1, "cascade caused by " + missing[1], "none"));
    }
    return last.keySet();
  }

  private static void checkLink(At at, LedgerEntry previous, List<Problem> problems) {
    LedgerEntry entry = at.entry();
    long wantSeq = previous == null ? 0 : previous.getSeq() + 1;
    if (entry.getSeq() != wantSeq) {
      problems.add(at.problem(CHAIN_SEQ, wantSeq, entry.getSeq()));
    }
    byte[] wantPrev =
        previous == null ? EntryHash.genesis() : Buffers.toArray(previous.getEntryHash());
    if (!Arrays.equals(wantPrev, Buffers.toArray(entry.getPrevHash()))) {
      problems.add(at.problem(CHAIN_PREV_HASH, wantPrev, Buffers.toArray(entry.getPrevHash())));
    }
  }

  private static String str(Object value) {
    if (value instanceof byte[] bytes) {
      return Hex.encode(bytes);
    }
    return Objects.toString(value);
  }
}
