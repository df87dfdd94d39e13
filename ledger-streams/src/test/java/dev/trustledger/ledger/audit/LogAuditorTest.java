package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.merkle.MemoryTree;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The auditor passes an untampered log and names each kind of tampering. */
class LogAuditorTest {
  private static final long T = 1_767_225_600_000L;
  private static LedgerDriver ledger;
  private static AuditLog log;

  @BeforeAll
  static void runLedger() {
    ledger = new LedgerDriver();
    log = TamperVectors.validLog();
  }

  @AfterAll
  static void close() {
    ledger.close();
  }

  private static AuditReport audit(AuditLog l) {
    return ledger.auditor().audit(l);
  }

  private static List<Located<LedgerEntry>> entries() {
    return new ArrayList<>(log.entries().get(0));
  }

  private static AuditLog withEntries(List<Located<LedgerEntry>> entries) {
    return log.withEntries(Map.of(0, entries));
  }

  private static AuditLog changeEntry(int index, UnaryOperator<LedgerEntry> change) {
    List<Located<LedgerEntry>> entries = entries();
    Located<LedgerEntry> e = entries.get(index);
    entries.set(index, Located.of(0, e.offset(), change.apply(e.value())));
    return withEntries(entries);
  }

  private static void assertFinds(AuditLog tampered, Problem.Kind kind) {
    AuditReport report = audit(tampered);
    assertThat(report.problems()).extracting(Problem::kind).contains(kind);
  }

  @Test
  void untamperedLogPasses() {
    AuditReport report = audit(log);
    assertThat(report.problems()).isEmpty();
    assertThat(report.entries()).isEqualTo(log.entryCount());
    assertThat(report.checkpoints()).isEqualTo(log.checkpoints().size()).isPositive();
    assertThat(report.trust()).containsKeys(agentId("bot"), agentId("child"), agentId("peer"));
  }

  @Test
  void flippedPayloadByteIsCaught() {
    assertFinds(
        changeEntry(
            6,
            e -> {
              SignedEvent event =
                  SignedEvent.newBuilder((SignedEvent) e.getEvent()).setEventId("rX").build();
              return LedgerEntry.newBuilder(e).setEvent(event).build();
            }),
        Problem.Kind.ENTRY_HASH);
  }

  @Test
  void resealedEntryWithChangedPayloadFailsItsSignature() {
    assertFinds(
        changeEntry(
            6,
            e -> {
              SignedEvent event =
                  SignedEvent.newBuilder((SignedEvent) e.getEvent()).setEventId("rX").build();
              return EntryHash.seal(
                  EntryHash.unhashed(LedgerEntry.newBuilder(e).setEvent(event).build()));
            }),
        Problem.Kind.SIGNATURE);
  }

  @Test
  void flippedPrevHashIsCaught() {
    assertFinds(
        changeEntry(
            7,
            e ->
                EntryHash.seal(
                    EntryHash.unhashed(
                        LedgerEntry.newBuilder(e)
                            .setPrevHash(ByteBuffer.wrap(new byte[32]))
                            .build()))),
        Problem.Kind.CHAIN_PREV_HASH);
  }

  @Test
  void deletedEntryIsCaught() {
    List<Located<LedgerEntry>> entries = entries();
    entries.remove(7);
    AuditReport report = audit(withEntries(entries));
    assertThat(report.problems())
        .extracting(Problem::kind)
        .contains(Problem.Kind.LEDGER_SEQ, Problem.Kind.CHAIN_SEQ);
  }

  @Test
  void duplicatedEntryIsCaught() {
    List<Located<LedgerEntry>> entries = entries();
    entries.add(8, entries.get(7));
    assertFinds(withEntries(entries), Problem.Kind.LEDGER_SEQ);
  }

  @Test
  void reorderedEntriesAreCaught() {
    List<Located<LedgerEntry>> entries = entries();
    var a = entries.get(7);
    entries.set(7, entries.get(8));
    entries.set(8, a);
    assertFinds(withEntries(entries), Problem.Kind.LEDGER_SEQ);
  }

  @Test
  void alteredRecordedWeightIsCaughtByReRunningTheRules() {
    assertFinds(
        changeEntry(
            6,
            e ->
                EntryHash.seal(
                    EntryHash.unhashed(
                        LedgerEntry.newBuilder(e)
                            .setFacts(
                                EntryFacts.newBuilder(e.getFacts()).setPositiveWeight(0.5).build())
                            .build()))),
        Problem.Kind.FACTS);
  }

  @Test
  void removedCascadeEntryIsCaught() {
    List<Located<LedgerEntry>> entries = entries();
    entries.remove(entries.size() - 1);
    assertFinds(withEntries(entries), Problem.Kind.DECISION);
  }

  @Test
  void truncatedTailUnderACheckpointIsCaught() {
    List<Located<LedgerEntry>> entries = entries();
    AuditLog truncated = withEntries(entries.subList(0, 3));
    assertFinds(truncated, Problem.Kind.CHECKPOINT_SIZE);
  }

  @Test
  void checkpointSignedByAnotherKeyIsCaught() {
    var impostor = key("impostor");
    Checkpoint c = log.checkpoints().get(0).value();
    CheckpointBody body = new CheckpointBody(c.getOrigin(), c.getSize(), c.getRootHash().array());
    String forged = new NoteKey("test.ledger", impostor.publicKey()).sign(body, impostor);
    List<Located<Checkpoint>> cps = new ArrayList<>(log.checkpoints());
    cps.set(0, Located.of(0, 0, Checkpoint.newBuilder(c).setNote(forged).build()));
    AuditReport report = audit(log.withCheckpoints(cps));
    assertThat(report.problems())
        .extracting(Problem::kind)
        .contains(Problem.Kind.CHECKPOINT_SIGNATURE);
  }

  @Test
  void rewrittenHistoryUnderAReSignedCheckpointContradictsTheEarlierOne() {
    // The operator drops a report, re-chains everything after it and signs a new checkpoint.
    List<Located<LedgerEntry>> entries = entries();
    entries.remove(6);
    List<Located<LedgerEntry>> rewritten = new ArrayList<>();
    Map<String, LedgerEntry> last = new java.util.HashMap<>();
    long ledgerSeq = 0;
    for (Located<LedgerEntry> l : entries) {
      LedgerEntry e = l.value();
      LedgerEntry prev = last.get(e.getSubjectId());
      LedgerEntry fixed =
          EntryHash.seal(
              EntryHash.unhashed(
                  LedgerEntry.newBuilder(e)
                      .setSeq(prev == null ? 0 : prev.getSeq() + 1)
                      .setPrevHash(
                          prev == null ? ByteBuffer.wrap(new byte[32]) : prev.getEntryHash())
                      .setLedgerSeq(ledgerSeq++)
                      .build()));
      last.put(e.getSubjectId(), fixed);
      rewritten.add(Located.of(0, rewritten.size(), fixed));
    }
    CheckpointBody body = checkpointOf(rewritten, rewritten.size());
    String note = LEDGER_NOTE.sign(body, LedgerDriver.LEDGER_KEY);
    List<Located<Checkpoint>> cps = new ArrayList<>(log.checkpoints());
    cps.add(
        Located.of(
            0,
            cps.size(),
            Checkpoint.newBuilder(log.checkpoints().get(0).value())
                .setSize(body.size())
                .setRootHash(ByteBuffer.wrap(body.rootHash()))
                .setNote(note)
                .build()));
    AuditReport report = audit(log.withEntries(Map.of(0, rewritten)).withCheckpoints(cps));
    assertThat(report.problems())
        .extracting(Problem::kind)
        .contains(Problem.Kind.CHECKPOINT_CONTRADICTION);
  }

  private static final NoteKey LEDGER_NOTE =
      new NoteKey("test.ledger", LedgerDriver.LEDGER_KEY.publicKey());

  private static CheckpointBody checkpointOf(List<Located<LedgerEntry>> entries, int size) {
    MemoryTree tree = new MemoryTree();
    entries.stream().limit(size).forEach(l -> tree.appendData(EntryHash.leafData(l.value())));
    return new CheckpointBody("test.ledger", size, tree.root(size));
  }

  /** A copy of the log that agrees up to {@code from} and then holds other (re-signed) entries. */
  private static List<Located<LedgerEntry>> divergedFrom(int from) {
    List<Located<LedgerEntry>> entries = entries();
    List<Located<LedgerEntry>> other = new ArrayList<>(entries.subList(0, from));
    for (Located<LedgerEntry> l : entries.subList(from, entries.size())) {
      other.add(
          Located.of(
              0,
              l.offset(),
              EntryHash.seal(
                  EntryHash.unhashed(LedgerEntry.newBuilder(l.value()).setLedgerTime(T).build()))));
    }
    return other;
  }

  @Test
  void aCheckpointOfADivergingCopyIsAForkAtTheFirstSizeWhereTheTreesDiffer() {
    List<Located<LedgerEntry>> other = divergedFrom(6);
    List<AuditLog.Observed> seen = new ArrayList<>();
    for (int size : new int[] {4, 6, 7, 9}) {
      seen.add(
          new AuditLog.Observed(
              "copy B at " + size,
              LEDGER_NOTE.sign(checkpointOf(other, size), LedgerDriver.LEDGER_KEY)));
    }
    AuditReport report = audit(log.withObserved(seen));
    List<Problem> forks =
        report.problems().stream().filter(p -> p.kind() == Problem.Kind.FORK).toList();
    assertThat(forks).hasSize(2);
    assertThat(forks.get(0).expected())
        .contains("root at size 7")
        .contains("the trees agree at size 6");
    assertThat(forks.get(0).found()).contains("copy B at 7");
  }

  @Test
  void observedCheckpointsNeedTheWitnessQuorum() throws Exception {
    var w1 = key("witness-1");
    var w2 = key("witness-2");
    CosignerKey k1 = new CosignerKey("w1.example", w1.publicKey());
    CosignerKey k2 = new CosignerKey("w2.example", w2.publicKey());
    CheckpointBody body = checkpointOf(entries(), entries().size());
    SignedNote note = SignedNote.parse(LEDGER_NOTE.sign(body, LedgerDriver.LEDGER_KEY));
    SignedNote one = note.with(List.of(k1.cosign(note.textBytes(), 100, w1)));
    SignedNote both = one.with(List.of(k2.cosign(note.textBytes(), 101, w2)));
    LogAuditor auditor = ledger.auditor().withWitnesses(List.of(k1, k2), 2);

    assertThat(
            auditor
                .audit(log.withObserved(List.of(new AuditLog.Observed("node", both.format()))))
                .problems())
        .isEmpty();
    assertThat(
            auditor
                .audit(log.withObserved(List.of(new AuditLog.Observed("node", one.format()))))
                .problems())
        .extracting(Problem::kind)
        .containsExactly(Problem.Kind.QUORUM);
    SignedNote.Signature bad = both.signatures().get(2);
    byte[] blob = bad.blob();
    blob[blob.length - 1] ^= 1;
    SignedNote damaged =
        new SignedNote(
            note.text(),
            List.of(
                note.signatures().get(0),
                one.signatures().get(1),
                new SignedNote.Signature(bad.name(), blob)));
    assertThat(
            auditor
                .audit(log.withObserved(List.of(new AuditLog.Observed("node", damaged.format()))))
                .problems())
        .extracting(Problem::kind)
        .containsExactly(Problem.Kind.COSIGNATURE, Problem.Kind.QUORUM);
  }
}
