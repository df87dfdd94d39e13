package dev.trustledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerStreamsMain;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.io.File;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kills the ledger's JVM (SIGKILL, no clean close) in the middle of a stream and starts it again:
 * no input lost, none decided twice, every chain and checkpoint still verifies.
 */
class LedgerCrashIT {
  private static KafkaCluster cluster;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    dir = Files.createTempDirectory("ledger-crash");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Process startLedger(Path properties, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            LedgerStreamsMain.class.getName(),
            properties.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  @Test
  void killedMidStreamAndRestartedLosesNothingAndDecidesNothingTwice() throws Exception {
    String bootstrap = cluster.bootstrapServers();
    Path keyFile = dir.resolve("ledger.key");
    KeyFiles.writePrivateKey(keyFile, LedgerDriver.LEDGER_KEY);
    Map<String, Object> values =
        LedgerSetup.config(bootstrap, dir.resolve("state"), "ledger-crash");
    values.put(LedgerConfig.LEDGER_KEY_FILE_CONFIG, keyFile.toString());
    Properties props = new Properties();
    values.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    Path properties = dir.resolve("ledger.properties");
    try (Writer out = Files.newBufferedWriter(properties)) {
      props.store(out, "crash test");
    }
    LedgerConfig config = new LedgerConfig(props);
    Path log = dir.resolve("ledger.log");

    Workload workload = new Workload(7, System.currentTimeMillis(), LedgerDriver.ADMIN);
    Process first = startLedger(properties, log);
    long published = 0;
    try (OutputCounter outputs = new OutputCounter(bootstrap)) {
      List<Workload.Input> setup = new java.util.ArrayList<>(workload.sponsors(5));
      LedgerSetup.publish(bootstrap, setup);
      published += setup.size();
      awaitOutcomes(outputs, published);
      List<Workload.Input> agents = workload.agents(20);
      LedgerSetup.publish(bootstrap, agents);
      published += agents.size();
      awaitOutcomes(outputs, published);

      List<Workload.Input> activity = workload.activity(6000, 20);
      LedgerSetup.publish(bootstrap, activity);
      published += activity.size();
      long before = outputs.outcomes();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> outputs.outcomes() > before + 300);
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long atKill = outputs.outcomes();
      assertThat(atKill).as("killed mid-stream").isLessThan(published);

      Process second = startLedger(properties, log);
      try {
        awaitOutcomes(outputs, published);
        Thread.sleep(2500);
        assertThat(outputs.outcomes()).isEqualTo(published);
        assertThat(outputs.duplicateAcceptances()).isEmpty();
      } finally {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
      }
    }

    LogAuditor auditor = LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey());
    AuditReport report =
        auditor.audit(
            new TopicLogReader(bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject())
                .read());
    assertThat(report.problems()).isEmpty();
    assertThat(report.checkpoints()).isPositive();
    assertThat(new File(log.toString())).exists();
  }

  private static void awaitOutcomes(OutputCounter outputs, long expected) {
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> outputs.outcomes() >= expected);
  }
}
