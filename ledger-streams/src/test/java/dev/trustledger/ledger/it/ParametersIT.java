package dev.trustledger.ledger.it;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.TrustParameters;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.avro.LedgerHead;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The ledger's parameters live in its log: the genesis holds them, an admin's signed change takes
 * effect at its ledger_seq, a node whose configuration contradicts the log stops with a clear error
 * instead of re-reading history, and the auditor needs no configuration.
 */
class ParametersIT {
  private static final long NOW = System.currentTimeMillis();

  @Test
  void parametersComeFromTheLogAndAContradictingConfigurationStopsTheNode() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      String bootstrap = cluster.bootstrapServers();
      Path state = Files.createTempDirectory("parameters-it");
      Map<String, Object> base = LedgerSetup.config(bootstrap, state, "parameters-it");
      LedgerConfig first = new LedgerConfig(base);
      LedgerParameters changed;
      long since;
      try (LedgerRuntime ledger = LedgerSetup.startRuntime(first, LedgerSetup.SHORT_SESSIONS);
          OutputCounter outputs = new OutputCounter(bootstrap)) {
        var sponsor = registerSponsor("acme", NOW);
        LedgerSetup.publish(
            bootstrap, List.of(new Workload.Input(sponsor.getSubjectId(), sponsor, null)));
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 1);
        LedgerHead head =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> head(ledger), Optional::isPresent)
                .get();
        assertThat(head.getParameters()).isEqualTo(first.parameters());

        changed =
            LedgerParameters.newBuilder(head.getParameters())
                .setTrust(
                    TrustParameters.newBuilder(head.getParameters().getTrust())
                        .setPrior(0.6)
                        .build())
                .build();
        var change =
            Events.changeParameters(
                    Signer.ledger(LedgerDriver.LEDGER_KEY).id(), changed, "a kinder prior")
                .eventId("params-1")
                .issuedAt(NOW)
                .sign(Signer.admin(LedgerDriver.ADMIN));
        var agent = registerAgent("bot", "acme", NOW);
        LedgerSetup.publish(
            bootstrap,
            List.of(
                new Workload.Input(change.getSubjectId(), change, null),
                new Workload.Input(agent.getSubjectId(), agent, null)));
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 3);
        assertThat(outputs.rejections()).isZero();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> head(ledger).map(h -> h.getParameters().equals(changed)).orElse(false));
        since = head(ledger).orElseThrow().getParametersSince();
        assertThat(since).isIn(2L, 3L);
      }

      // A node configured with the old prior, explicitly, refuses to run. (Its own state folder:
      // a task that fails while it initializes keeps its RocksDB lock until the process ends.)
      Map<String, Object> stale = new HashMap<>(base);
      stale.put(LedgerConfig.PRIOR_CONFIG, "0.5");
      stale.put(
          LedgerConfig.STATE_DIR_CONFIG,
          Files.createTempDirectory("parameters-it-stale").toString());
      try (LedgerRuntime ledger =
          LedgerRuntime.start(
              new LedgerConfig(stale), LedgerDriver.LEDGER_KEY, LedgerSetup.SHORT_SESSIONS)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.fatalError().isPresent());
        assertThat(ledger.fatalError().orElseThrow())
            .contains("trust.prior is 0.5 here, 0.6 in the log")
            .contains("since ledger_seq " + since);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ledger.streams().state() == KafkaStreams.State.ERROR
                        || ledger.streams().state() == KafkaStreams.State.NOT_RUNNING);
      }

      // Leaving the key unset takes the log's value; the audit needs nothing but the ledger key.
      try (LedgerRuntime ledger = LedgerSetup.startRuntime(first, LedgerSetup.SHORT_SESSIONS)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> head(ledger).map(h -> h.getParameters().equals(changed)).orElse(false));
        assertThat(ledger.reader().principal(agentId("bot"))).isPresent();
      }
      AuditReport report =
          LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey())
              .audit(
                  new TopicLogReader(bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject())
                      .read());
      assertThat(report.problems()).isEmpty();
      assertThat(report.parameters()).isEqualTo(changed);
    }
  }

  private static Optional<LedgerHead> head(LedgerRuntime ledger) {
    try {
      return ledger.reader().head();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
