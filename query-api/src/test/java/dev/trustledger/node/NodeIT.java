package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Events;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import dev.trustledger.json.AvroJson;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real broker, a real node, a real HTTP client: every endpoint end to end. */
class NodeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Ed25519PrivateKey ADMIN = LedgerDriver.ADMIN;
  private static final Ed25519PrivateKey ACME = Fixtures.key("node-acme");
  private static final Ed25519PrivateKey BOT = Fixtures.key("node-bot");
  private static final Ed25519PrivateKey HELPER = Fixtures.key("node-helper");
  private static final Ed25519PrivateKey PEER = Fixtures.key("node-peer");
  private static KafkaCluster cluster;
  private static LedgerNode node;
  private static String base;

  record Reply(int status, String contentType, JsonNode body, String text) {}

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory("node-it"), "node-it");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
    assertThat(node.awaitReady(Duration.ofSeconds(60))).isTrue();
    base = node.url();
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

  static Reply send(String method, String path, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String type = r.headers().firstValue("Content-Type").orElse("");
    JsonNode json = null;
    if (type.contains("json") && !r.body().isEmpty()) {
      json = JSON.readTree(r.body());
    }
    return new Reply(r.statusCode(), type, json, r.body());
  }

  static Reply get(String path) throws Exception {
    return send("GET", path, null, null);
  }

  static Reply postEvent(SignedEvent e) throws Exception {
    return send("POST", "/v1/events", "application/json", AvroJson.toJson(e).toString().getBytes());
  }

  static String awaitDecision(SignedEvent e) {
    String[] status = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              status[0] =
                  get("/v1/events/" + e.getSubjectId() + "/" + e.getEventId())
                      .body()
                      .get("status")
                      .asText();
              return !status[0].equals("pending");
            });
    return status[0];
  }

  @Test
  void publishQueryVerifyRevokeAndSeeTheRevocation() throws Exception {
    long now = System.currentTimeMillis();
    SignedEvent sponsor =
        Events.registerSponsor(ACME.publicKey(), "Acme", "ops@acme.example")
            .issuedAt(now)
            .sign(Signer.admin(ADMIN), ACME);
    Reply posted = postEvent(sponsor);
    assertThat(posted.status()).as(posted.text()).isEqualTo(202);
    assertThat(awaitDecision(sponsor)).isEqualTo("accepted");

    SignedEvent bot =
        Events.registerAgent(BOT.publicKey(), Signer.sponsor(ACME).id())
            .name("bot")
            .draft()
            .issuedAt(now)
            .sign(Signer.sponsor(ACME), BOT);
    SignedEvent peer =
        Events.registerAgent(PEER.publicKey(), Signer.sponsor(ACME).id())
            .name("peer")
            .draft()
            .issuedAt(now)
            .sign(Signer.sponsor(ACME), PEER);
    await().atMost(Duration.ofSeconds(10)).until(() -> postEvent(bot).status() == 202);
    await().atMost(Duration.ofSeconds(10)).until(() -> postEvent(peer).status() == 202);
    assertThat(awaitDecision(bot)).isEqualTo("accepted");
    assertThat(awaitDecision(peer)).isEqualTo("accepted");
    String botId = bot.getSubjectId();

    await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/agents/" + botId).status() == 200);
    SignedEvent helper =
        Events.registerAgent(HELPER.publicKey(), Signer.sponsor(ACME).id())
            .name("helper")
            .parent(botId)
            .draft()
            .issuedAt(now)
            .sign(Signer.agent(BOT), HELPER);
    await().atMost(Duration.ofSeconds(10)).until(() -> postEvent(helper).status() == 202);
    assertThat(awaitDecision(helper)).isEqualTo("accepted");

    Reply agent = get("/v1/agents/" + botId);
    assertThat(agent.body().get("trust_score").asInt()).isEqualTo(50);
    assertThat(agent.body().get("human_sponsor").get("name").asText()).isEqualTo("Acme");

    SignedEvent report =
        Events.report(botId, "call-1", 10, Severity.HIGH, "policy")
            .issuedAt(now)
            .sign(Signer.admin(ADMIN));
    postEvent(report);
    assertThat(awaitDecision(report)).isEqualTo("accepted");
    assertThat(get("/v1/agents/" + botId).body().get("trust_score").asInt()).isLessThan(50);

    byte[] message = "GET /invoices/7".getBytes();
    String verify =
        "{\"agent_id\":\""
            + helper.getSubjectId()
            + "\",\"message\":\""
            + Base64Url.encode(message)
            + "\",\"signature\":\""
            + Base64Url.encode(Messages.sign(HELPER, message))
            + "\",\"min_trust\":0}";
    Reply before = send("POST", "/v1/verify", "application/json", verify.getBytes());
    assertThat(before.body().get("trusted").asBoolean()).isTrue();

    SignedEvent revoke =
        Events.revoke(botId, "compromised").issuedAt(now).sign(Signer.sponsor(ACME));
    postEvent(revoke);
    assertThat(awaitDecision(revoke)).isEqualTo("accepted");
    Reply after = send("POST", "/v1/verify", "application/json", verify.getBytes());
    assertThat(after.body().get("trusted").asBoolean()).isFalse();
    assertThat(after.body().get("reason").asText()).isEqualTo("revoked");
    assertThat(get("/v1/agents/" + helper.getSubjectId()).body().get("status").asText())
        .isEqualTo("revoked");

    // Entries are served from each node's index of ledger.entries, a few ms behind the decision.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get("/v1/agents/" + helper.getSubjectId() + "/entries").body().get("entries").size()
                    == 2);
    Reply entries = get("/v1/agents/" + helper.getSubjectId() + "/entries");
    assertThat(entries.body().get("entries")).hasSize(2);
    assertThat(entries.body().get("entries").get(1).get("event").get("type").asText())
        .isEqualTo("DerivedEvent");

    Reply agents = get("/v1/sponsors/" + Signer.sponsor(ACME).id() + "/agents");
    assertThat(agents.body().get("agents")).hasSize(3);
    assertThat(get("/v1/sponsors/" + Signer.sponsor(ACME).id()).body().get("status").asText())
        .isEqualTo("active");

    SignedEvent selfReport =
        Events.report(peer.getSubjectId(), "x", 100, Severity.LOW, "q")
            .issuedAt(now)
            .sign(Signer.agent(PEER));
    postEvent(selfReport);
    assertThat(awaitDecision(selfReport)).isEqualTo("rejected");
    assertThat(
            get("/v1/events/" + peer.getSubjectId() + "/" + selfReport.getEventId())
                .body()
                .get("reason")
                .asText())
        .isEqualTo("self_report");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/v1/checkpoints").body().get("checkpoints").size() > 0);
    assertThat(get("/healthz").status()).isEqualTo(200);
    assertThat(get("/readyz").status()).isEqualTo(200);
    Reply metrics = get("/metrics");
    assertThat(metrics.text())
        .contains("ledger_events_total{outcome=\"accepted\",reason=\"none\"}")
        .contains("ledger_events_total{outcome=\"rejected\",reason=\"SELF_REPORT\"}")
        .contains("ledger_verify_seconds");
    // What the alert rules and the dashboard in deploy/ use, once the node has refreshed them.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get("/metrics").text())
                    .containsPattern("ledger_stage_lag_records\\{stage=\"verify\"} \\d")
                    .containsPattern("ledger_stage_lag_records\\{stage=\"sequencer\"} \\d")
                    .containsPattern("(?m)^ledger_checkpoint_age_seconds \\d")
                    .containsPattern("(?m)^ledger_last_entry_age_seconds \\d")
                    .contains("ledger_stream_state{state=\"RUNNING\"} 1.0")
                    .containsPattern("(?m)^ledger_state_bytes [1-9]")
                    .contains("ledger_http_requests_seconds_bucket{")
                    .contains("jvm_memory_used_bytes{"));
    assertMetricsHaveHelp(get("/metrics").text());
    assertThat(get("/openapi.yaml").text()).startsWith("openapi: 3.1.0");
    assertThat(get("/").text()).contains("Trust Ledger explorer");
  }

  /** Every metric family carries help text: an operator reads what it counts on /metrics. */
  static void assertMetricsHaveHelp(String exposition) {
    java.util.Set<String> families = new java.util.TreeSet<>();
    java.util.Set<String> helped = new java.util.TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        families.add(line.split(" ")[2]);
      } else if (line.startsWith("# HELP ")) {
        String[] parts = line.split(" ", 4);
        if (parts.length == 4 && !parts[3].isBlank()) {
          helped.add(parts[2]);
        }
      }
    }
    assertThat(families).isNotEmpty();
    assertThat(families).as("metrics without help text").isSubsetOf(helped);
  }

  @Test
  void badInputNeverYieldsAServerError() throws Exception {
    String agent = Signer.agent(Fixtures.key("whoever")).id();
    String valid =
        AvroJson.toJson(Events.suspend(agent, "x").sign(Signer.sponsor(Fixtures.key("stranger"))))
            .toString();
    List<Object[]> cases =
        List.of(
            new Object[] {"GET", "/v1/agents/not-an-id", null, null},
            new Object[] {"GET", "/v1/agents/agt_", null, null},
            new Object[] {"GET", "/v1/agents/" + "a".repeat(5000), null, null},
            new Object[] {"GET", "/v1/agents/agt_%00%00", null, null},
            new Object[] {"GET", "/v1/agents/" + agent + "/entries?limit=-1", null, null},
            new Object[] {"GET", "/v1/agents/" + agent + "/entries?limit=abc", null, null},
            new Object[] {
              "GET", "/v1/agents/" + agent + "/entries?from_seq=99999999999999999999", null, null
            },
            new Object[] {"GET", "/v1/sponsors/agt_x", null, null},
            new Object[] {
              "GET", "/v1/sponsors/" + Signer.sponsor(ACME).id() + "/agents?after=zzz", null, null
            },
            new Object[] {"GET", "/v1/events/bad/evt", null, null},
            new Object[] {"GET", "/v1/events/" + agent + "/bad%20id", null, null},
            new Object[] {"GET", "/v1/nothing", null, null},
            new Object[] {"PUT", "/v1/agents/" + agent, null, null},
            new Object[] {"DELETE", "/v1/events", null, null},
            new Object[] {"POST", "/v1/verify", "application/json", "not json"},
            new Object[] {"POST", "/v1/verify", "application/json", "[]"},
            new Object[] {"POST", "/v1/verify", "application/json", "{}"},
            new Object[] {
              "POST",
              "/v1/verify",
              "application/json",
              "{\"agent_id\":\"" + agent + "\",\"message\":\"***\",\"signature\":\"AA\"}"
            },
            new Object[] {
              "POST",
              "/v1/verify",
              "application/json",
              "{\"agent_id\":\""
                  + agent
                  + "\",\"message\":\"AA\",\"signature\":\"AA\",\"min_trust\":\"high\"}"
            },
            new Object[] {
              "POST",
              "/v1/verify",
              "application/json",
              "{\"agent_id\":7,\"message\":\"AA\",\"signature\":\"AA\"}"
            },
            new Object[] {"POST", "/v1/events", "application/json", "{"},
            new Object[] {"POST", "/v1/events", "application/json", "{}"},
            new Object[] {
              "POST",
              "/v1/events",
              "application/json",
              valid.replace("\"type\":\"AgentSuspended\"", "\"type\":\"Nope\"")
            },
            new Object[] {
              "POST",
              "/v1/events",
              "application/json",
              valid.replace("\"signature\":\"", "\"signature\":\"==")
            },
            new Object[] {
              "POST",
              "/v1/events",
              "application/json",
              valid.replace("\"issued_at\":", "\"issued_at\":\"x\",\"_\":")
            },
            new Object[] {
              "POST", "/v1/events", "application/json", valid.replace("}", ",\"extra\":1}")
            },
            new Object[] {"POST", "/v1/events", "application/json", valid},
            new Object[] {"POST", "/v1/events", "text/plain", "hello"},
            new Object[] {"POST", "/v1/events", "application/octet-stream", "garbage"},
            new Object[] {"POST", "/v1/events", null, null},
            new Object[] {
              "POST", "/v1/events", "application/json", "{\"x\":\"" + "a".repeat(100_000) + "\"}"
            });
    assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
    for (Object[] c : cases) {
      Reply r =
          send(
              (String) c[0],
              (String) c[1],
              (String) c[2],
              c[3] == null ? null : ((String) c[3]).getBytes());
      assertThat(r.status()).as("%s %s %s", c[0], c[1], c[3]).isBetween(400, 499);
      assertThat(r.contentType()).as("%s %s", c[0], c[1]).startsWith("application/problem+json");
      assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }
}
