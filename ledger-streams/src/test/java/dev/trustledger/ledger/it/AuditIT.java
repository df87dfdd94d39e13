package dev.trustledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.AuditReport;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The auditor against a real broker: thousands of events through the topology, the audit of the
 * topics passes; a copy of the topics with one entry tampered fails at exactly that entry.
 */
class AuditIT {
  private static KafkaCluster cluster;
  private static LedgerRuntime ledger;
  private static LedgerConfig config;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    config =
        new LedgerConfig(
            LedgerSetup.config(
                cluster.bootstrapServers(), Files.createTempDirectory("audit-it"), "audit-it"));
    ledger = LedgerSetup.startRuntime(config);
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

  private LogAuditor auditor() {
    return LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey());
  }

  @Test
  void auditOfTheTopicsPassesAndATamperedCopyFailsAtTheTamperedEntry() throws Exception {
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
    AuditLog log =
        new TopicLogReader(bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject()).read();
    AuditReport clean = auditor().audit(log);
    assertThat(clean.problems()).isEmpty();
    assertThat(clean.entries()).isGreaterThan(3000);

    // Copy the topics, changing the recorded weight of one entry of partition 1.
    LedgerTopics copy =
        new LedgerTopics(
            "copy.events", "copy.entries", "copy.rejections", "copy.checkpoints", "copy.keys");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(copy.entries(), 3, (short) 1),
                  new NewTopic(copy.checkpoints(), 1, (short) 1),
                  new NewTopic(copy.rejections(), 1, (short) 1)))
          .all()
          .get();
    }
    List<Located<LedgerEntry>> partition = log.entries().get(1);
    int tamperIndex = partition.size() / 2;
    LedgerFormats formats = LedgerFormats.singleObject();
    long tamperedOffset = -1;
    String tamperedSubject = null;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (var e : log.entries().entrySet()) {
        for (int i = 0; i < e.getValue().size(); i++) {
          LedgerEntry entry = e.getValue().get(i).value();
          boolean tamper = e.getKey() == 1 && i == tamperIndex;
          if (tamper) {
            entry =
                LedgerEntry.newBuilder(entry)
                    .setFacts(
                        EntryFacts.newBuilder(entry.getFacts()).setPositiveWeight(0.99).build())
                    .build();
            tamperedSubject = entry.getSubjectId();
          }
          RecordMetadata md =
              producer
                  .send(
                      new ProducerRecord<>(
                          copy.entries(),
                          e.getKey(),
                          entry.getSubjectId(),
                          formats.entries().encode(copy.entries(), entry)))
                  .get();
          if (tamper) {
            tamperedOffset = md.offset();
          }
        }
      }
      for (var c : log.checkpoints()) {
        producer
            .send(
                new ProducerRecord<>(
                    copy.checkpoints(),
                    0,
                    "cp",
                    formats.checkpoints().encode(copy.checkpoints(), c.value())))
            .get();
      }
    }
    AuditReport tampered = auditor().audit(new TopicLogReader(bootstrap, copy, formats).read());
    assertThat(tampered.problems()).isNotEmpty();
    Problem first = tampered.problems().get(0);
    assertThat(first.kind()).isEqualTo(Problem.Kind.ENTRY_HASH);
    assertThat(first.partition()).isEqualTo(1);
    assertThat(first.offset()).isEqualTo(tamperedOffset);
    assertThat(first.subject()).isEqualTo(tamperedSubject);
    String subject = tamperedSubject;
    assertThat(tampered.problems()).allSatisfy(p -> assertThat(p.subject()).isIn(subject, ""));
  }
}
