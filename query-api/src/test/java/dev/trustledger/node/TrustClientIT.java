package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.client.TrustClient;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.testutil.Fixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embeddable client against a real node: it follows a revocation, and fails closed. */
class TrustClientIT {
  private static final Ed25519PrivateKey ACME = Fixtures.key("client-acme");
  private static final Ed25519PrivateKey BOT = Fixtures.key("client-bot");
  private static final byte[] MESSAGE = "POST /payments".getBytes(StandardCharsets.UTF_8);
  private static KafkaCluster cluster;
  private static LedgerNode node;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory("client-it"), "client-it");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
    assertThat(node.awaitReady(Duration.ofSeconds(90))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void deniesARevokedAgentOnceTheRevocationArrivesAndFailsClosedWhenItsFeedStops()
      throws Exception {
    long now = System.currentTimeMillis();
    node.publish(
        Events.registerSponsor(ACME.publicKey(), "Acme", "ops@acme.example")
            .issuedAt(now)
            .sign(Signer.admin(LedgerDriver.ADMIN), ACME));
    SignedEvent bot =
        Events.registerAgent(BOT.publicKey(), Signer.sponsor(ACME).id())
            .name("bot")
            .capabilities(List.of("payments:propose"))
            .draft()
            .issuedAt(now)
            .sign(Signer.sponsor(ACME), BOT);
    // Inputs on different partitions are decided in any order: the sponsor first.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.runtime().reader().principal(Signer.sponsor(ACME).id()).isPresent());
    node.publish(bot);
    String agent = bot.getSubjectId();
    byte[] signature = Messages.sign(BOT, MESSAGE);

    try (TrustClient client =
        TrustClient.builder(URI.create(node.url())).maxStaleness(Duration.ofSeconds(2)).build()) {
      assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.check(agent, MESSAGE, signature, 50, List.of("payments:propose")).reason()
                      == TrustClient.Reason.OK);
      assertThat(client.check(agent, MESSAGE, signature, 50, List.of("payments:execute")).reason())
          .isEqualTo(TrustClient.Reason.CAPABILITY_MISSING);

      node.publish(
          Events.revoke(agent, "compromised")
              .issuedAt(System.currentTimeMillis())
              .sign(Signer.sponsor(ACME)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.check(agent, MESSAGE, signature, 0, List.of()).reason()
                      == TrustClient.Reason.REVOKED);

      // Heartbeats keep a quiet feed fresh: still answering after twice the staleness bound.
      Thread.sleep(4000);
      assertThat(client.check(agent, MESSAGE, signature, 0, List.of()).reason())
          .isEqualTo(TrustClient.Reason.REVOKED);

      // The feed stops: past the bound, every answer is STALE.
      node.close();
      node = null;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  client.check(agent, MESSAGE, signature, 0, List.of()).reason()
                      == TrustClient.Reason.STALE);
    }
  }
}
