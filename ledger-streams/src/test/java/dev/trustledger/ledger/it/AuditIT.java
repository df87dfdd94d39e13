package dev.trustledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.InputRecord;
import dev.trustledger.ledger.audit.Located;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.Problem;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The auditor against a real broker: thousands of events through the topology, and the audit of the
 * topics (entries, rejections, checkpoints and inputs) passes with nothing but the ledger key. Then
 * copies of the topics, each with one thing changed as an operator could change it, are written
 * back to the broker and audited: each fails with its own problem, at the changed record.
 */
class AuditIT {
  private static final LedgerFormats FORMATS = LedgerFormats.singleObject();
  private static KafkaCluster cluster;
  private static LedgerRuntime ledger;
  private static AuditLog log;
  private static int copies;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    LedgerConfig config =
        new LedgerConfig(
            LedgerSetup.config(
                cluster.bootstrapServers(), Files.createTempDirectory("audit-it"), "audit-it"));
    ledger = LedgerSetup.startRuntime(config);
    String bootstrap = cluster.bootstrapServers();
    Workload workload = new Workload(11, System.currentTimeMillis(), LedgerDriver.ADMIN);
    long published = 0;
    try (OutputCounter outputs = new OutputCounter(bootstrap)) {
      for (List<Workload.Input> phase :
          List.of(workload.sponsors(5), workload.agents(40), workload.activity(3000, 25))) {
        LedgerSetup.publish(bootstrap, phase);
        published += phase.size();
        long want = published;
        await().atMost(Duration.ofSeconds(120)).until(() -> outputs.outcomes() >= want);
      }
    }
    Thread.sleep(2500);
    log = new TopicLogReader(bootstrap, LedgerTopics.DEFAULT, FORMATS).read();
  }

  @AfterAll
  static void stop() {
    if (ledger != null) {
      ledger.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static LogAuditor auditor() {
    return LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey());
  }

  @Test
  void theTopicsAuditWithTheLedgerKeyAlone() {
    AuditReport clean = auditor().audit(log);
    assertThat(clean.problems()).isEmpty();
    assertThat(clean.entries()).isGreaterThan(3000);
    assertThat(clean.rejections()).isEqualTo(120);
    assertThat(log.inputs()).hasSize(5 + 200 + 3000);
    assertThat(clean.parameters().getLedgerName()).isEqualTo("test.ledger");
  }

  @Test
  void aChangedWeightIsFoundAtItsEntry() throws Exception {
    Located<LedgerEntry> target = midReport(1);
    AuditLog tampered =
        replaceEntry(
            log,
            target,
            LedgerEntry.newBuilder(target.value())
                .setFacts(
                    EntryFacts.newBuilder(target.value().getFacts())
                        .setPositiveWeight(0.99)
                        .build())
                .build());
    AuditReport report = auditor().audit(copyToTopics(tampered));
    Problem first = report.problems().get(0);
    assertThat(first.kind()).isEqualTo(Problem.Kind.ENTRY_HASH);
    assertThat(first.partition()).isEqualTo(1);
    assertThat(first.offset()).isEqualTo(copiedOffset(target));
    assertThat(report.problems())
        .allSatisfy(p -> assertThat(p.subject()).isIn(target.value().getSubjectId(), ""));
  }

  @Test
  void aChangedDecisionIsFoundAtItsRejection() throws Exception {
    List<Located<Rejection>> rejections = new ArrayList<>(log.rejections());
    int index = indexOf(rejections, RejectionReason.BAD_SIGNATURE);
    Located<Rejection> target = rejections.get(index);
    rejections.set(
        index,
        Located.of(
            target.partition(),
            target.offset(),
            Rejection.newBuilder(target.value()).setReason(RejectionReason.STALE_EVENT).build()));
    AuditReport report = auditor().audit(copyToTopics(log.withRejections(rejections)));
    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.DECISION);
              assertThat(p.partition()).isEqualTo(target.partition());
              assertThat(p.offset()).isEqualTo(copiedOffset(target, log.rejections()));
              assertThat(p.expected()).startsWith("BAD_SIGNATURE");
              assertThat(p.found()).startsWith("STALE_EVENT");
            });
  }

  @Test
  void aDroppedInputIsFoundAtItsInputRecord() throws Exception {
    List<Located<Rejection>> rejections = new ArrayList<>(log.rejections());
    Located<Rejection> dropped =
        rejections.remove(indexOf(rejections, RejectionReason.SELF_REPORT));
    AuditReport report = auditor().audit(copyToTopics(log.withRejections(rejections)));
    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.MISSING_OUTCOME);
              assertThat(p.partition()).isEqualTo(dropped.value().getSource().getPartition());
              assertThat(p.offset()).isEqualTo(dropped.value().getSource().getOffset());
            });
  }

  @Test
  void anEntryInAnotherPartitionIsFoundThere() throws Exception {
    Located<LedgerEntry> target = midReport(0);
    Map<Integer, List<Located<LedgerEntry>>> entries = new TreeMap<>(log.entries());
    List<Located<LedgerEntry>> from = new ArrayList<>(entries.get(0));
    from.remove(target);
    List<Located<LedgerEntry>> to = new ArrayList<>(entries.get(2));
    to.add(Located.of(2, to.size(), target.value()));
    entries.put(0, from);
    entries.put(2, to);
    AuditReport report = auditor().audit(copyToTopics(log.withEntries(entries)));
    assertThat(report.problems())
        .filteredOn(p -> p.kind() == Problem.Kind.PARTITION)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.partition()).isEqualTo(2);
              assertThat(p.subject()).isEqualTo(target.value().getSubjectId());
              assertThat(p.seq()).isEqualTo(target.value().getSeq());
              assertThat(p.expected()).isEqualTo("partition 0");
            });
  }

  @Test
  void aWrongParameterIsFoundAtTheFirstDecisionItChanges() throws Exception {
    // The ledger key holder rewrites the genesis with a replay window of one second and re-seals
    // it; everything after it is as the ledger decided it, under the real window of a day.
    long window = 1000;
    Located<LedgerEntry> genesis = entryAt(0);
    SignedEvent event = (SignedEvent) genesis.value().getEvent();
    LedgerParameters params = ((LedgerGenesis) event.getPayload()).getParameters();
    SignedEvent resigned =
        Events.genesis(
                LedgerDriver.LEDGER_KEY.publicKey(),
                LedgerParameters.newBuilder(params).setReplayWindowMs(window).build())
            .issuedAt(event.getIssuedAt())
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LedgerDriver.LEDGER_KEY);
    AuditLog tampered =
        replaceEntry(
            log,
            genesis,
            EntryHash.seal(
                EntryHash.unhashed(
                    LedgerEntry.newBuilder(genesis.value()).setEvent(resigned).build())));
    AuditReport report = auditor().audit(copyToTopics(tampered));
    long[] expected = firstDecidedOutsideTheWindow(window);
    assertThat(report.problems())
        .filteredOn(p -> p.kind() == Problem.Kind.DECISION)
        .first()
        .satisfies(
            p -> {
              assertThat(p.partition()).isEqualTo((int) expected[0]);
              assertThat(p.offset()).isEqualTo(expected[1]);
            });
  }

  /**
   * Where the first input stands (partition and offset of its entry or rejection, in the ledger's
   * order) that reached the window check and was issued more than {@code window} ms before its
   * ledger time.
   */
  private static long[] firstDecidedOutsideTheWindow(long window) {
    java.util.Set<RejectionReason> before =
        java.util.EnumSet.of(
            RejectionReason.MALFORMED,
            RejectionReason.UNSUPPORTED_SCHEMA,
            RejectionReason.UNKNOWN_SIGNER,
            RejectionReason.BAD_SIGNATURE,
            RejectionReason.BAD_POP_SIGNATURE,
            RejectionReason.ID_KEY_MISMATCH,
            RejectionReason.INVALID_FIELD);
    long[] best = null;
    long bestOrder = Long.MAX_VALUE;
    for (Located<LedgerEntry> l : log.entries().values().stream().flatMap(List::stream).toList()) {
      LedgerEntry e = l.value();
      if (e.getEvent() instanceof SignedEvent s
          && !(s.getPayload() instanceof LedgerGenesis)
          && e.getLedgerTime() - s.getIssuedAt() > window
          && 2 * e.getLedgerSeq() + 1 < bestOrder) {
        bestOrder = 2 * e.getLedgerSeq() + 1;
        best = new long[] {l.partition(), copiedOffset(l)};
      }
    }
    for (Located<Rejection> l : log.rejections()) {
      Rejection r = l.value();
      if (r.getEvent() != null
          && !before.contains(r.getReason())
          && r.getSource().getTimestamp() - r.getEvent().getIssuedAt() > window
          && 2 * r.getLedgerSeq() < bestOrder) {
        bestOrder = 2 * r.getLedgerSeq();
        best = new long[] {l.partition(), copiedOffset(l, log.rejections())};
      }
    }
    return best;
  }

  /** A report of partition {@code p} from the middle of it. */
  private static Located<LedgerEntry> midReport(int p) {
    List<Located<LedgerEntry>> partition = log.entries().get(p);
    for (int i = partition.size() / 2; i < partition.size(); i++) {
      LedgerEntry e = partition.get(i).value();
      if (e.getFacts().getPositiveWeight() != null) {
        return partition.get(i);
      }
    }
    throw new AssertionError("no report in partition " + p);
  }

  private static Located<LedgerEntry> entryAt(long ledgerSeq) {
    return log.entries().values().stream()
        .flatMap(List::stream)
        .filter(l -> l.value().getLedgerSeq() == ledgerSeq)
        .findFirst()
        .orElseThrow();
  }

  /**
   * The offset a record has in a copy: its index in its partition. The ledger's topics are written
   * in transactions, whose markers take offsets too; the copies are written without.
   */
  private static long copiedOffset(Located<LedgerEntry> entry) {
    return log.entries().get(entry.partition()).indexOf(entry);
  }

  private static long copiedOffset(Located<Rejection> r, List<Located<Rejection>> all) {
    return all.stream()
        .filter(o -> o.partition() == r.partition() && o.offset() < r.offset())
        .count();
  }

  private static int indexOf(List<Located<Rejection>> rejections, RejectionReason reason) {
    for (int i = 0; i < rejections.size(); i++) {
      if (rejections.get(i).value().getReason() == reason) {
        return i;
      }
    }
    throw new AssertionError("no " + reason);
  }

  private static AuditLog replaceEntry(AuditLog log, Located<LedgerEntry> at, LedgerEntry with) {
    Map<Integer, List<Located<LedgerEntry>>> entries = new TreeMap<>(log.entries());
    List<Located<LedgerEntry>> partition = new ArrayList<>(entries.get(at.partition()));
    partition.set(partition.indexOf(at), Located.of(at.partition(), at.offset(), with));
    entries.put(at.partition(), partition);
    return log.withEntries(entries);
  }

  /**
   * Writes {@code log} to fresh topics of the same broker, record by record in the same partitions
   * and order (inputs with their timestamps, so rejections still name them), and reads it back.
   */
  private static AuditLog copyToTopics(AuditLog log) throws Exception {
    String name = "copy" + (++copies);
    LedgerTopics copy =
        new LedgerTopics(
            name + ".events",
            name + ".entries",
            name + ".rejections",
            name + ".checkpoints",
            name + ".keys",
            name + ".views");
    String bootstrap = cluster.bootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(copy.events(), 3, (short) 1),
                  new NewTopic(copy.entries(), 3, (short) 1),
                  new NewTopic(copy.rejections(), 3, (short) 1),
                  new NewTopic(copy.checkpoints(), 1, (short) 1)))
          .all()
          .get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (InputRecord in : log.inputs()) {
        byte[] value =
            in.event() == null
                ? "undecodable".getBytes(StandardCharsets.UTF_8)
                : FORMATS.events().encode(copy.events(), in.event());
        producer.send(
            new ProducerRecord<>(copy.events(), in.partition(), in.timestamp(), in.key(), value));
      }
      for (var e : new TreeMap<>(log.entries()).entrySet()) {
        for (Located<LedgerEntry> l : e.getValue()) {
          producer.send(
              new ProducerRecord<>(
                  copy.entries(),
                  e.getKey(),
                  l.value().getSubjectId(),
                  FORMATS.entries().encode(copy.entries(), l.value())));
        }
      }
      List<Located<Rejection>> rejections = new ArrayList<>(log.rejections());
      rejections.sort(
          Comparator.<Located<Rejection>>comparingInt(Located::partition)
              .thenComparingLong(Located::offset));
      for (Located<Rejection> r : rejections) {
        producer.send(
            new ProducerRecord<>(
                copy.rejections(),
                r.partition(),
                r.value().getSubjectId(),
                FORMATS.rejections().encode(copy.rejections(), r.value())));
      }
      for (Located<Checkpoint> c : log.checkpoints()) {
        producer.send(
            new ProducerRecord<>(
                copy.checkpoints(),
                0,
                Integer.toString(c.value().getTree()),
                FORMATS.checkpoints().encode(copy.checkpoints(), c.value())));
      }
      producer.flush();
    }
    AuditLog read = new TopicLogReader(bootstrap, copy, FORMATS).read();
    assertThat(read.inputs()).hasSize(log.inputs().size());
    return read;
  }
}
