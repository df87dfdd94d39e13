package dev.trustledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.RejectionReason;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import dev.trustledger.trust.Evidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger on a real KRaft broker: 3 partitions, 2 stream threads, thousands of valid and invalid
 * events from hundreds of agents; every input accounted for, every chain and checkpoint verified by
 * the auditor, every trust state equal to the auditor's recomputation.
 */
class LedgerIT {
  private static final long NOW = System.currentTimeMillis();
  private static KafkaCluster cluster;
  private static LedgerRuntime ledger;
  private static LedgerConfig config;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    Path state = Files.createTempDirectory("ledger-it");
    config = new LedgerConfig(LedgerSetup.config(cluster.bootstrapServers(), state, "ledger-it"));
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

  @Test
  void mixedStreamIsAccountedForChainedCheckpointedAndFolded() throws Exception {
    Workload workload = new Workload(42, NOW, LedgerDriver.ADMIN);
    String bootstrap = cluster.bootstrapServers();
    long published = 0;
    try (OutputCounter outputs = new OutputCounter(bootstrap)) {
      List<Workload.Input> sponsors = workload.sponsors(10);
      LedgerSetup.publish(bootstrap, sponsors);
      published += sponsors.size();
      awaitOutcomes(outputs, published);

      List<Workload.Input> agents = workload.agents(30);
      LedgerSetup.publish(bootstrap, agents);
      published += agents.size();
      awaitOutcomes(outputs, published);

      List<Workload.Input> activity = workload.activity(4000, 10);
      LedgerSetup.publish(bootstrap, activity);
      published += activity.size();
      awaitOutcomes(outputs, published);

      assertThat(outputs.inputEntries() + outputs.rejections()).isEqualTo(published);
      assertThat(outputs.duplicateAcceptances()).isEmpty();
      Map<RejectionReason, Integer> reasons = outputs.reasons();
      assertThat(reasons)
          .containsKeys(
              RejectionReason.MALFORMED,
              RejectionReason.BAD_SIGNATURE,
              RejectionReason.UNKNOWN_SIGNER,
              RejectionReason.SELF_REPORT,
              RejectionReason.STALE_EVENT);
      assertThat(reasons.get(RejectionReason.MALFORMED)).isEqualTo(80);
    }

    // Let the interval checkpoint cover the tree's tail.
    Thread.sleep(2500);
    LogAuditor auditor = LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey());
    AuditLog log =
        new TopicLogReader(bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject()).read();
    AuditReport report = auditor.audit(log);
    assertThat(report.problems()).isEmpty();
    assertThat(report.partitions()).isEqualTo(3);
    assertThat(log.entries()).allSatisfy((p, entries) -> assertThat(entries).isNotEmpty());
    long entries = log.entryCount();
    assertThat(report.treeSize()).isEqualTo(entries);
    assertThat(log.checkpoints())
        .as("a checkpoint covering every entry")
        .anySatisfy(c -> assertThat(c.value().getSize()).isEqualTo(entries));
    // Every node's tree index holds the same tree, up to the last entry.
    assertThat(ledger.reader().tree().size()).isEqualTo(entries);
    assertThat(dev.trustledger.encoding.Hex.encode(Proofs.root(entries, ledger.reader().tree())))
        .isEqualTo(report.rootHash());

    // The node's trust store equals the independent recomputation from the log.
    for (var agent : workload.agents()) {
      String id = Signer.agent(agent).id();
      Evidence recomputed = report.trust().get(id);
      Evidence served = Evidence.of(ledger.reader().principal(id).orElseThrow().getTrust());
      assertThat(served.positive()).isCloseTo(recomputed.positive(), within(0.0));
      assertThat(served).isEqualTo(recomputed);
    }
  }

  private static void awaitOutcomes(OutputCounter outputs, long expected) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> outputs.outcomes() >= expected);
  }
}
