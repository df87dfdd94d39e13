package dev.trustledger.ledger.it;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.sequencer.Input;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.ledger.topology.LedgerMetrics;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Under the default failure policy, an input whose step throws fails the sequencer task: its stream
 * thread is replaced, the task resumes from its last commit, and once the step succeeds the input
 * is decided exactly once. Nothing is lost and nothing is turned into a rejection.
 */
class FailurePolicyIT {
  private static final long NOW = System.currentTimeMillis();

  @Test
  void aFailingStepIsRetriedFromTheLastCommitAndDecidedOnce() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      String bootstrap = cluster.bootstrapServers();
      LedgerConfig config =
          new LedgerConfig(
              LedgerSetup.config(bootstrap, Files.createTempDirectory("policy-it"), "policy-it"));
      try (LedgerRuntime ledger =
              LedgerRuntime.start(
                  config,
                  LedgerDriver.LEDGER_KEY,
                  LedgerSetup.SHORT_SESSIONS,
                  LedgerMetrics.NONE,
                  step ->
                      (state, input) -> {
                        if (input instanceof Input.Event e
                            && e.event().getEventId().equals("flaky")
                            && failures.incrementAndGet() <= 2) {
                          throw new IllegalStateException("a transient failure");
                        }
                        return step.step(state, input);
                      });
          OutputCounter outputs = new OutputCounter(bootstrap)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> ledger.streams().state() == KafkaStreams.State.RUNNING);
        SignedEvent sponsor = registerSponsor("acme", NOW);
        SignedEvent bot = registerAgent("bot", "acme", NOW);
        SignedEvent flaky =
            Events.report(agentId("bot"), "i1", 90, Severity.LOW, "q")
                .eventId("flaky")
                .issuedAt(NOW)
                .sign(Signer.admin(LedgerDriver.ADMIN));
        SignedEvent after =
            Events.report(agentId("bot"), "i2", 90, Severity.LOW, "q")
                .eventId("after")
                .issuedAt(NOW)
                .sign(Signer.sponsor(key("acme")));
        LedgerSetup.publish(bootstrap, List.of(input(sponsor)));
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 1);
        LedgerSetup.publish(bootstrap, List.of(input(bot), input(flaky), input(after)));
        await().atMost(Duration.ofSeconds(120)).until(() -> outputs.outcomes() >= 4);
        Thread.sleep(1000);
        assertThat(failures.get()).isEqualTo(3);
        assertThat(outputs.rejections()).isZero();
        assertThat(outputs.inputEntries()).isEqualTo(4);
        assertThat(outputs.duplicateAcceptances()).isEmpty();
        assertThat(ledger.fatalError()).isEmpty();
        assertThat(ledger.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
      Thread.sleep(1500);
      assertThat(
              LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey())
                  .audit(
                      new TopicLogReader(
                              bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject())
                          .read())
                  .problems())
          .isEmpty();
    }
  }

  private static Workload.Input input(SignedEvent e) {
    return new Workload.Input(e.getSubjectId(), e, null);
  }
}
