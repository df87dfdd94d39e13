package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.testutil.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes of one ledger: either answers for every agent, and one survives the other. */
class TwoNodesIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KafkaCluster cluster;
  private static final List<LedgerNode> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    for (int i = 0; i < 2; i++) {
      Map<String, Object> values =
          LedgerSetup.config(
              cluster.bootstrapServers(), Files.createTempDirectory("two-nodes-" + i), "two-nodes");
      values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
      values.put(LedgerConfig.STREAM_THREADS_CONFIG, 1);
      nodes.add(LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY));
    }
    for (LedgerNode node : nodes) {
      assertThat(node.awaitReady(Duration.ofSeconds(90))).isTrue();
    }
  }

  @AfterAll
  static void stop() {
    nodes.forEach(LedgerNode::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  static int status(LedgerNode node, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static String body(LedgerNode node, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void everyAgentIsAnswerableFromEitherNodeAndFromTheSurvivor() throws Exception {
    long now = System.currentTimeMillis();
    Ed25519PrivateKey sponsor = Fixtures.key("two-acme");
    nodes
        .get(0)
        .publish(
            Events.registerSponsor(sponsor.publicKey(), "Acme", "ops@acme.example")
                .issuedAt(now)
                .sign(Signer.admin(LedgerDriver.ADMIN), sponsor));
    List<String> agents = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(nodes.get(1), "/v1/sponsors/" + Signer.sponsor(sponsor).id()) == 200);
    for (int i = 0; i < 20; i++) {
      Ed25519PrivateKey key = Fixtures.key("two-agent-" + i);
      SignedEvent e =
          Events.registerAgent(key.publicKey(), Signer.sponsor(sponsor).id())
              .name("a" + i)
              .draft()
              .issuedAt(now)
              .sign(Signer.sponsor(sponsor), key);
      nodes.get(i % 2).publish(e);
      agents.add(e.getSubjectId());
    }
    for (String agent : agents) {
      for (LedgerNode node : nodes) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(node, "/v1/agents/" + agent) == 200);
      }
    }
    String viaOne =
        JSON.readTree(body(nodes.get(0), "/v1/agents/" + agents.get(3))).get("agent_id").asText();
    String viaTwo =
        JSON.readTree(body(nodes.get(1), "/v1/agents/" + agents.get(3))).get("agent_id").asText();
    assertThat(viaOne).isEqualTo(viaTwo).isEqualTo(agents.get(3));

    LedgerNode stopped = nodes.remove(0);
    stopped.close();
    LedgerNode survivor = nodes.get(0);
    for (String agent : agents) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> status(survivor, "/v1/agents/" + agent) == 200);
    }
  }
}
