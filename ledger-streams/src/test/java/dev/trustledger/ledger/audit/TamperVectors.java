package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.registerSubAgent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.TrustParameters;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.merkle.MemoryTree;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Generates the tamper vectors in {@code src/test/resources/vectors/tamper}: a valid exported log
 * made by the real topology, and one copy per attack, each named after it, with the problem the
 * auditor must report. Run {@code main} to regenerate; {@code TamperVectorsTest} reads them.
 */
public final class TamperVectors {
  static final String FOLDER = "vectors/tamper";
  static final long T = 1_767_225_600_000L;
  static final long EXPORTED_AT = 1_767_312_000_000L;
  static final String LEDGER = "test.ledger";

  /** One attack: a file name, what it models, and the problem it must raise. */
  record Vector(String name, String desc, Problem.Kind want, AuditLog log) {}

  private TamperVectors() {}

  /**
   * The valid log: the genesis, a sponsor, agents, a sub-agent, reports, a cascading revocation,
   * and two refused inputs (a self-report and bytes that do not decode).
   */
  static AuditLog validLog() {
    try (LedgerDriver ledger =
        new LedgerDriver(Map.of(LedgerConfig.CHECKPOINT_ENTRIES_CONFIG, 4))) {
      ledger.publish(registerSponsor("acme", T), T);
      ledger.publish(registerAgent("bot", "acme", T), T + 1);
      ledger.publish(registerSubAgent("child", "bot", "acme", T), T + 2);
      ledger.publish(registerAgent("peer", "acme", T), T + 3);
      for (int i = 0; i < 6; i++) {
        ledger.publish(
            Events.report(agentId("bot"), "i" + i, 20 * i, Severity.MEDIUM, "q")
                .eventId("r" + i)
                .issuedAt(T)
                .sign(Signer.admin(LedgerDriver.ADMIN)),
            T + 10 + i);
      }
      ledger.publish(
          Events.report(agentId("peer"), "self", 100, Severity.LOW, "q")
              .eventId("self")
              .issuedAt(T)
              .sign(Signer.agent(key("peer"))),
          T + 50);
      ledger.publishRaw("garbage", "not an event".getBytes(StandardCharsets.UTF_8), T + 51);
      ledger.publish(
          Events.revoke(agentId("bot"), "gone")
              .eventId("rv")
              .issuedAt(T)
              .sign(Signer.sponsor(key("acme"))),
          T + 100);
      return ledger.auditLog();
    }
  }

  static List<Vector> generate(AuditLog valid) {
    List<Vector> out = new ArrayList<>();
    out.add(
        new Vector(
            "flipped-payload-byte",
            "one byte of an event's payload changed, hash left as it was",
            Problem.Kind.ENTRY_HASH,
            change(
                valid,
                6,
                e ->
                    LedgerEntry.newBuilder(e)
                        .setEvent(event(e).setEventId("rX").build())
                        .build())));
    out.add(
        new Vector(
            "flipped-signature-byte",
            "one byte of an event signature changed, entry re-hashed to hide it",
            Problem.Kind.SIGNATURE,
            change(
                valid,
                6,
                e ->
                    reseal(
                        LedgerEntry.newBuilder(e)
                            .setEvent(event(e).setSignature(flip(event(e).getSignature())).build())
                            .build()))));
    out.add(
        new Vector(
            "flipped-prev-hash",
            "one byte of a prev_hash changed, entry re-hashed",
            Problem.Kind.CHAIN_PREV_HASH,
            change(
                valid,
                7,
                e ->
                    reseal(LedgerEntry.newBuilder(e).setPrevHash(flip(e.getPrevHash())).build()))));
    out.add(
        new Vector(
            "deleted-entry",
            "an entry removed from the log",
            Problem.Kind.LEDGER_SEQ,
            edit(valid, l -> l.remove(7))));
    out.add(
        new Vector(
            "inserted-entry",
            "a forged report inserted, well formed and signed by an impostor",
            Problem.Kind.LEDGER_SEQ,
            edit(valid, l -> l.add(8, Located.of(0, 8, forgedReport(l.get(7).value()))))));
    out.add(
        new Vector(
            "reordered-entries",
            "two entries swapped",
            Problem.Kind.LEDGER_SEQ,
            edit(
                valid,
                l -> {
                  Located<LedgerEntry> a = l.get(7);
                  l.set(7, l.get(8));
                  l.set(8, a);
                })));
    out.add(
        new Vector(
            "duplicated-entry",
            "an entry written twice",
            Problem.Kind.LEDGER_SEQ,
            edit(valid, l -> l.add(8, l.get(7)))));
    out.add(
        new Vector(
            "resigned-with-another-key",
            "an event re-signed, with its recorded signer key, by another key: the signer's"
                + " registered key does not verify it",
            Problem.Kind.DECISION,
            change(valid, 6, TamperVectors::resignedByImpostor)));
    out.add(
        new Vector(
            "truncated-tail",
            "the last entries cut off under a signed checkpoint",
            Problem.Kind.CHECKPOINT_SIZE,
            edit(valid, l -> l.subList(4, l.size()).clear())));
    out.add(
        new Vector(
            "rewritten-history",
            "a report dropped, history re-chained and a new checkpoint signed with the ledger key",
            Problem.Kind.CHECKPOINT_CONTRADICTION,
            rewritten(valid)));
    out.add(
        new Vector(
            "dropped-rejection",
            "the rejection of an input removed: the input has no outcome",
            Problem.Kind.MISSING_OUTCOME,
            valid.withRejections(valid.rejections().subList(1, valid.rejections().size()))));
    out.add(
        new Vector(
            "changed-decision",
            "a rejection's reason changed (a self-report said to be stale)",
            Problem.Kind.DECISION,
            valid.withRejections(
                List.of(
                    Located.of(
                        0,
                        0,
                        Rejection.newBuilder(valid.rejections().get(0).value())
                            .setReason(RejectionReason.STALE_EVENT)
                            .build()),
                    valid.rejections().get(1)))));
    out.add(
        new Vector(
            "wrong-partition",
            "an entry written to another partition of ledger.entries",
            Problem.Kind.PARTITION,
            movedToPartition(valid, 6, 1)));
    out.add(
        new Vector(
            "wrong-parameter",
            "the genesis re-signed with another evidence half-life, every hash re-computed",
            Problem.Kind.FACTS,
            withGenesisEvidenceHalfLife(valid, 1000)));
    out.add(
        new Vector(
            "missing-genesis",
            "the genesis entry removed",
            Problem.Kind.GENESIS,
            edit(valid, l -> l.remove(0))));
    return out;
  }

  private static AuditLog movedToPartition(AuditLog valid, int index, int partition) {
    List<Located<LedgerEntry>> entries = new ArrayList<>(valid.entries().get(0));
    Located<LedgerEntry> moved = entries.remove(index);
    return valid.withEntries(
        Map.of(0, entries, partition, List.of(Located.of(partition, 0, moved.value()))));
  }

  /**
   * The whole log as the ledger key holder could rewrite it: a genesis with another parameter,
   * re-signed, and every later entry re-chained so that hashes and links hold. The entries still
   * carry the trust computed under the real parameter.
   */
  private static AuditLog withGenesisEvidenceHalfLife(AuditLog valid, long halfLifeMs) {
    List<Located<LedgerEntry>> entries = new ArrayList<>(valid.entries().get(0));
    LedgerEntry genesis = entries.get(0).value();
    SignedEvent event = (SignedEvent) genesis.getEvent();
    LedgerGenesis payload = (LedgerGenesis) event.getPayload();
    LedgerParameters params = payload.getParameters();
    LedgerParameters changed =
        LedgerParameters.newBuilder(params)
            .setTrust(
                TrustParameters.newBuilder(params.getTrust())
                    .setEvidenceHalfLifeMs(halfLifeMs)
                    .build())
            .build();
    SignedEvent resigned =
        Events.genesis(LedgerDriver.LEDGER_KEY.publicKey(), changed)
            .issuedAt(event.getIssuedAt())
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LedgerDriver.LEDGER_KEY);
    entries.set(0, Located.of(0, 0, LedgerEntry.newBuilder(genesis).setEvent(resigned).build()));
    return rechained(valid, entries);
  }

  private static SignedEvent.Builder event(LedgerEntry e) {
    return SignedEvent.newBuilder((SignedEvent) e.getEvent());
  }

  private static ByteBuffer flip(ByteBuffer buffer) {
    byte[] bytes = Buffers.toArray(buffer);
    bytes[bytes.length / 2] ^= 0x01;
    return ByteBuffer.wrap(bytes);
  }

  private static LedgerEntry reseal(LedgerEntry e) {
    return EntryHash.seal(EntryHash.unhashed(e));
  }

  private static LedgerEntry resignedByImpostor(LedgerEntry e) {
    Ed25519PrivateKey impostor = key("impostor");
    SignedEvent original = (SignedEvent) e.getEvent();
    byte[] bytes = SigningBytes.of(original);
    SignedEvent resigned =
        SignedEvent.newBuilder(original)
            .setSignature(ByteBuffer.wrap(impostor.sign(bytes)))
            .build();
    EntryFacts facts =
        EntryFacts.newBuilder(e.getFacts())
            .setSignerPublicKey(ByteBuffer.wrap(impostor.publicKey().raw()))
            .build();
    return reseal(LedgerEntry.newBuilder(e).setEvent(resigned).setFacts(facts).build());
  }

  private static LedgerEntry forgedReport(LedgerEntry previous) {
    Ed25519PrivateKey impostor = key("impostor");
    SignedEvent forged =
        Events.report(previous.getSubjectId(), "forged", 100, Severity.LOW, "q")
            .eventId("forged")
            .issuedAt(T)
            .sign(Signer.agent(impostor));
    return reseal(
        LedgerEntry.newBuilder(previous)
            .setSeq(previous.getSeq() + 1)
            .setPrevHash(previous.getEntryHash())
            .setEvent(forged)
            .setFacts(
                EntryFacts.newBuilder(previous.getFacts())
                    .setSignerPublicKey(ByteBuffer.wrap(impostor.publicKey().raw()))
                    .build())
            .build());
  }

  private static AuditLog change(AuditLog valid, int index, UnaryOperator<LedgerEntry> change) {
    return edit(
        valid,
        l ->
            l.set(index, Located.of(0, l.get(index).offset(), change.apply(l.get(index).value()))));
  }

  private static AuditLog edit(
      AuditLog valid, java.util.function.Consumer<List<Located<LedgerEntry>>> edit) {
    List<Located<LedgerEntry>> entries = new ArrayList<>(valid.entries().get(0));
    edit.accept(entries);
    return valid.withEntries(Map.of(0, entries));
  }

  private static AuditLog rewritten(AuditLog valid) {
    List<Located<LedgerEntry>> entries = new ArrayList<>(valid.entries().get(0));
    entries.remove(6);
    AuditLog out = rechained(valid, entries);
    MemoryTree tree = new MemoryTree();
    out.entries().get(0).forEach(l -> tree.appendData(EntryHash.leafData(l.value())));
    CheckpointBody body =
        new CheckpointBody(CheckpointBody.origin(LEDGER, 0), tree.size(), tree.root(tree.size()));
    String note =
        new NoteKey(LEDGER, LedgerDriver.LEDGER_KEY.publicKey())
            .sign(body, LedgerDriver.LEDGER_KEY);
    List<Located<Checkpoint>> checkpoints = new ArrayList<>(valid.checkpoints());
    checkpoints.add(
        Located.of(
            0,
            checkpoints.size(),
            Checkpoint.newBuilder(valid.checkpoints().get(0).value())
                .setSize(body.size())
                .setRootHash(ByteBuffer.wrap(body.rootHash()))
                .setCreatedAt(EXPORTED_AT)
                .setNote(note)
                .build()));
    return out.withCheckpoints(checkpoints);
  }

  /** {@code entries} with seq, prev_hash, ledger_seq and entry_hash made consistent again. */
  private static AuditLog rechained(AuditLog valid, List<Located<LedgerEntry>> entries) {
    List<Located<LedgerEntry>> out = new ArrayList<>();
    Map<String, LedgerEntry> last = new HashMap<>();
    long ledgerSeq = 0;
    for (Located<LedgerEntry> l : entries) {
      LedgerEntry e = l.value();
      LedgerEntry prev = last.get(e.getSubjectId());
      LedgerEntry fixed =
          reseal(
              LedgerEntry.newBuilder(e)
                  .setSeq(prev == null ? 0 : prev.getSeq() + 1)
                  .setPrevHash(
                      prev == null ? ByteBuffer.wrap(EntryHash.genesis()) : prev.getEntryHash())
                  .setLedgerSeq(ledgerSeq++)
                  .build());
      if (fixed.getEvent() instanceof DerivedEvent d) {
        LedgerEntry cause = last.get(d.getCauseSubjectId());
        fixed =
            reseal(
                LedgerEntry.newBuilder(fixed)
                    .setEvent(DerivedEvent.newBuilder(d).setCauseHash(cause.getEntryHash()).build())
                    .build());
      }
      last.put(e.getSubjectId(), fixed);
      out.add(Located.of(0, out.size(), fixed));
    }
    return valid.withEntries(Map.of(0, out));
  }

  /** Writes valid.jsonl, one file per vector, and index.json into {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "ledger-streams/src/test/resources/" + FOLDER);
    Files.createDirectories(dir);
    AuditLog valid = validLog();
    ExportFile.write(dir.resolve("valid.jsonl"), valid, EXPORTED_AT);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode index = json.createObjectNode();
    index.put("desc", "tampered copies of valid.jsonl; each must fail the audit with want_problem");
    index.put("ledger_name", LEDGER);
    ArrayNode vectors = index.putArray("vectors");
    for (Vector v : generate(valid)) {
      ExportFile.write(dir.resolve(v.name() + ".jsonl"), v.log(), EXPORTED_AT);
      vectors
          .addObject()
          .put("file", v.name() + ".jsonl")
          .put("desc", v.desc())
          .put("want_problem", v.want().name());
    }
    json.writeValue(dir.resolve("index.json").toFile(), index);
  }
}
