package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.audit.Problem.Kind.ENTRY_HASH;
import static dev.trustledger.ledger.audit.Problem.Kind.GENESIS;
import static dev.trustledger.ledger.audit.Problem.Kind.LEDGER_SEQ;
import static dev.trustledger.ledger.audit.Problem.Kind.MALFORMED;
import static dev.trustledger.ledger.audit.Problem.Kind.MISSING_OUTCOME;

import dev.trustledger.avro.KeyRotated;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.KeyHistory;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.sequencer.MemoryLedgerState;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.trust.Evidence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies a ledger's log without trusting its operator. It trusts one thing, the ledger's public
 * key, and reads everything else from the log: the genesis entry gives the parameters and the
 * admins. It recomputes every entry hash, chain link and partition log hash, checks every signed
 * checkpoint, and replays every input (the accepted ones from their entries, the refused ones from
 * their rejections) through the ledger's own {@link Sequencer#step} over {@link MemoryLedgerState}:
 * each entry must be byte for byte what the step writes, in the partition it chooses, at the same
 * {@code ledger_seq}; each rejection must be what the step rejects, for the same reason. Given the
 * input records too, it requires one outcome for each (docs/spec.md section 11).
 */
public final class LogAuditor {
  private final Ed25519PublicKey ledgerKey;
  private final EventVerifier verifier;
  private final List<CosignerKey> witnesses;
  private final int quorum;

  public LogAuditor(Ed25519PublicKey ledgerKey, EventVerifier verifier) {
    this(ledgerKey, verifier, List.of(), 0);
  }

  private LogAuditor(
      Ed25519PublicKey ledgerKey, EventVerifier verifier, List<CosignerKey> witnesses, int quorum) {
    this.ledgerKey = ledgerKey;
    this.verifier = verifier;
    this.witnesses = List.copyOf(witnesses);
    this.quorum = quorum;
  }

  /**
   * This auditor, requiring every checkpoint observed outside the log to carry valid cosignatures
   * of at least {@code quorum} of {@code witnesses}.
   */
  public LogAuditor withWitnesses(List<CosignerKey> witnesses, int quorum) {
    if (quorum < 0 || quorum > witnesses.size()) {
      throw new IllegalArgumentException(
          "a quorum of " + quorum + " of " + witnesses.size() + " witnesses cannot be met");
    }
    return new LogAuditor(ledgerKey, verifier, witnesses, quorum);
  }

  /** The auditor of the ledger whose key is {@code ledgerKey}. */
  public static LogAuditor of(Ed25519PublicKey ledgerKey) {
    return new LogAuditor(ledgerKey, new EventVerifier(new PublicKeyCache(1_000_000)));
  }

  public AuditReport audit(AuditLog log) {
    long start = System.nanoTime();
    List<Problem> problems = new ArrayList<>();
    List<At> all = new ArrayList<>();
    for (Map.Entry<Integer, List<Located<LedgerEntry>>> partition :
        new TreeMap<>(log.entries()).entrySet()) {
      readPartition(partition.getKey(), partition.getValue(), problems, all);
    }
    all.sort(Comparator.comparingLong(at -> at.entry().getLedgerSeq()));
    Optional<LedgerGenesis> first = genesisEntry(all, problems);
    Optional<KeyHistory> keys = first.map(g -> keyHistory(all, g));
    if (keys.isPresent() && !keys.get().holds(ledgerKey)) {
      problems.add(
          all.get(0)
              .problem(
                  GENESIS,
                  "the genesis of ledger key "
                      + Hex.encode(ledgerKey.raw())
                      + " or of a ledger that rotated its key to it",
                  Buffers.toArray(first.get().getPublicKey())));
      keys = Optional.empty();
    }
    Optional<LedgerParameters> genesis = keys.map(k -> first.get().getParameters());
    MemoryTree tree = tree(all);
    int checkpoints = 0;
    if (genesis.isPresent()) {
      CheckpointAudit audit = new CheckpointAudit(keys.get(), tree, problems);
      audit.checkLog(log.checkpoints());
      audit.checkRewrites();
      audit.checkObserved(log.observed(), witnesses, quorum);
      checkpoints = audit.verified();
    }

    // Signatures are checked in parallel, chunk by chunk, as the ledger's verify stage does; the
    // serial replay starts on the first chunk while later ones are checked, and uses each verdict
    // where the state names the key it was made with.
    List<Problem> replayProblems = new ArrayList<>();
    MemoryLedgerState state = new MemoryLedgerState();
    List<Located<Rejection>> rejections = sortedRejections(log.rejections(), replayProblems);
    Set<String> subjects = new HashSet<>();
    try (SignatureChecks.Pool pool = SignatureChecks.pool()) {
      SignatureChecks verdicts = new SignatureChecks(verifier, all, pool);
      if (genesis.isPresent()) {
        new Replay(state, new Sequencer(verifier), replayProblems, subjects)
            .run(all, rejections, verdicts::get);
      }
      problems.addAll(verdicts.problems());
    }
    problems.addAll(replayProblems);
    if (log.inputs() != null) {
      problems.addAll(missingOutcomes(log, all));
    }
    Map<String, Evidence> trust = new HashMap<>();
    state
        .principals()
        .forEach(
            (id, p) -> {
              if (p.getKind() == PrincipalKind.AGENT && p.getTrust() != null) {
                trust.put(id, Evidence.of(p.getTrust()));
              }
            });
    return new AuditReport(
        all.size(),
        tree.size(),
        Hex.encode(tree.frontier().root()),
        subjects.size(),
        log.entries().size(),
        checkpoints,
        log.rejections().size(),
        List.copyOf(problems),
        trust,
        state.head().map(LedgerHead::getParameters).orElse(null),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Entry hashes and the ledger order within one partition. */
  private static void readPartition(
      int partition, List<Located<LedgerEntry>> entries, List<Problem> problems, List<At> all) {
    List<byte[]> computed =
        entries.parallelStream()
            .map(l -> l.value() == null ? null : EntryHash.compute(l.value()))
            .toList();
    long lastLedgerSeq = -1;
    for (int i = 0; i < entries.size(); i++) {
      Located<LedgerEntry> located = entries.get(i);
      if (located.value() == null) {
        problems.add(
            new Problem(
                MALFORMED, partition, located.offset(), "", -1, "a ledger entry", located.error()));
        continue;
      }
      At at = new At(partition, located.offset(), located.value(), computed.get(i));
      LedgerEntry entry = located.value();
      byte[] recorded = Buffers.toArray(entry.getEntryHash());
      if (!Arrays.equals(recorded, computed.get(i))) {
        problems.add(at.problem(ENTRY_HASH, computed.get(i), recorded));
      }
      if (entry.getLedgerSeq() <= lastLedgerSeq) {
        problems.add(at.problem(LEDGER_SEQ, "above " + lastLedgerSeq, entry.getLedgerSeq()));
      }
      lastLedgerSeq = Math.max(lastLedgerSeq, entry.getLedgerSeq());
      all.add(at);
    }
  }

  /**
   * The Merkle tree of the log's entries as they stand, in ledger order (leaf hashes made in
   * parallel). A missing or repeated ledger_seq is reported by the replay; the tree is then not the
   * one the ledger signed and its checkpoints do not match either.
   */
  private static MemoryTree tree(List<At> all) {
    List<byte[]> leaves =
        all.parallelStream().map(at -> MerkleHash.leaf(EntryHash.leafData(at.entry()))).toList();
    MemoryTree tree = new MemoryTree();
    leaves.forEach(tree::append);
    return tree;
  }

  /** The genesis of the log, if it starts with one. */
  private static Optional<LedgerGenesis> genesisEntry(List<At> all, List<Problem> problems) {
    if (all.isEmpty()) {
      return Optional.empty();
    }
    At first = all.get(0);
    if (first.entry().getLedgerSeq() != 0
        || !(first.entry().getEvent() instanceof SignedEvent event)
        || !(event.getPayload() instanceof LedgerGenesis genesis)) {
      problems.add(first.problem(GENESIS, "a genesis entry at ledger_seq 0", "another entry"));
      return Optional.empty();
    }
    return Optional.of(genesis);
  }

  /**
   * The ledger's keys as its own chain records them: the genesis key, then the new key of each of
   * its KeyRotated entries (the replay checks that each was signed by the key before it).
   */
  static KeyHistory keyHistory(List<At> all, LedgerGenesis genesis) {
    String ledgerId = all.get(0).entry().getSubjectId();
    KeyHistory keys =
        KeyHistory.of(
            genesis.getParameters().getLedgerName(),
            Ed25519PublicKey.of(Buffers.toArray(genesis.getPublicKey())));
    for (At at : all) {
      if (at.entry().getSubjectId().equals(ledgerId)
          && at.entry().getEvent() instanceof SignedEvent event
          && event.getPayload() instanceof KeyRotated rotated) {
        try {
          keys =
              keys.with(
                  new KeyHistory.Change(
                      at.entry().getLedgerSeq(),
                      Ed25519PublicKey.of(Buffers.toArray(rotated.getNewPublicKey()))));
        } catch (RuntimeException e) {
          // An unusable key or an entry out of order: the replay reports that entry.
        }
      }
    }
    return keys;
  }

  /** The parameters of the genesis, when {@code all} starts with one of the ledger {@code key}. */
  static Optional<LedgerParameters> genesis(
      List<At> all, List<Problem> problems, Ed25519PublicKey ledgerKey) {
    Optional<LedgerGenesis> found = genesisEntry(all, problems);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    At first = all.get(0);
    LedgerGenesis genesis = found.get();
    byte[] key = Buffers.toArray(genesis.getPublicKey());
    if (!Arrays.equals(key, ledgerKey.raw())) {
      problems.add(
          first.problem(GENESIS, "the genesis of ledger key " + Hex.encode(ledgerKey.raw()), key));
      return Optional.empty();
    }
    return Optional.of(genesis.getParameters());
  }

  private static List<Located<Rejection>> sortedRejections(
      List<Located<Rejection>> rejections, List<Problem> problems) {
    List<Located<Rejection>> out = new ArrayList<>();
    for (Located<Rejection> r : rejections) {
      if (r.value() == null) {
        problems.add(
            new Problem(MALFORMED, r.partition(), r.offset(), "", -1, "a rejection", r.error()));
      } else {
        out.add(r);
      }
    }
    out.sort(
        Comparator.<Located<Rejection>>comparingLong(r -> r.value().getLedgerSeq())
            .thenComparingLong(r -> r.value().getSource().getTimestamp())
            .thenComparingInt(r -> r.value().getSource().getPartition())
            .thenComparingLong(r -> r.value().getSource().getOffset()));
    return out;
  }

  /**
   * Every input must have an outcome: a rejection naming its record, or an entry recording its
   * event (matched by content, as entries do not name their input record). Inputs newer than every
   * outcome may still be on their way through a running ledger and are not judged.
   */
  private static List<Problem> missingOutcomes(AuditLog log, List<At> all) {
    Set<String> rejected = new HashSet<>();
    long decidedUpTo = Long.MIN_VALUE;
    for (Located<Rejection> r : log.rejections()) {
      if (r.value() != null) {
        rejected.add(
            r.value().getSource().getPartition() + "/" + r.value().getSource().getOffset());
        decidedUpTo = Math.max(decidedUpTo, r.value().getSource().getTimestamp());
      }
    }
    Map<String, Integer> accepted = new HashMap<>();
    for (At at : all) {
      if (at.entry().getEvent() instanceof SignedEvent e) {
        accepted.merge(eventKey(e), 1, Integer::sum);
      }
      decidedUpTo = Math.max(decidedUpTo, at.entry().getLedgerTime());
    }
    List<Problem> out = new ArrayList<>();
    for (InputRecord input : log.inputs()) {
      if (rejected.contains(input.partition() + "/" + input.offset())
          || input.timestamp() > decidedUpTo) {
        continue;
      }
      String key = input.event() == null ? null : eventKey(input.event());
      Integer left = key == null ? null : accepted.get(key);
      if (left != null && left > 0) {
        accepted.put(key, left - 1);
        continue;
      }
      out.add(
          new Problem(
              MISSING_OUTCOME,
              input.partition(),
              input.offset(),
              input.event() == null ? "" : input.event().getSubjectId(),
              -1,
              "an entry or a rejection for the input at ledger.events/"
                  + input.partition()
                  + "/"
                  + input.offset(),
              "none"));
    }
    return out;
  }

  /**
   * What identifies an event among inputs and entries: its subject, id and signature (a verified
   * signature names exactly one content under its key).
   */
  private static String eventKey(SignedEvent e) {
    return e.getSubjectId()
        + "/"
        + e.getEventId()
        + "/"
        + java.util.Base64.getEncoder().encodeToString(Buffers.toArray(e.getSignature()));
  }

  /** A value as a problem shows it: bytes in hex, records in the JSON form (no raw bytes). */
  static String str(Object value) {
    if (value instanceof byte[] bytes) {
      return Hex.encode(bytes);
    }
    if (value instanceof java.nio.ByteBuffer buffer) {
      return Hex.encode(Buffers.toArray(buffer));
    }
    if (value instanceof org.apache.avro.specific.SpecificRecord record) {
      return dev.trustledger.json.AvroJson.toJson(record).toString();
    }
    return Objects.toString(value);
  }
}
