package dev.trustledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.EntryRef;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Events;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import dev.trustledger.json.AvroJson;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.DecisionStatus;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testutil.Fixtures;
import dev.trustledger.trust.Evidence;
import io.javalin.Javalin;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every route of the API on a real HTTP server, with a fake read interface. */
class ApiRoutesTest {
  static final long NOW = 1_767_225_600_000L;
  static final Ed25519PrivateKey ADMIN = Fixtures.key("admin");
  static final Ed25519PrivateKey ACME = Fixtures.key("acme");
  static final Ed25519PrivateKey BOT = Fixtures.key("bot");
  static final Ed25519PrivateKey CHILD = Fixtures.key("child");
  static final Ed25519PrivateKey GONE = Fixtures.key("gone");
  static final Ed25519PrivateKey LEDGER_KEY = Fixtures.key("ledger");
  static final String ACME_ID = Signer.sponsor(ACME).id();
  static final String BOT_ID = Signer.agent(BOT).id();
  static final String CHILD_ID = Signer.agent(CHILD).id();
  static final String GONE_ID = Signer.agent(GONE).id();

  FakeLedger ledger;
  Javalin app;
  ApiClient client;

  static PrincipalState principal(
      Ed25519PrivateKey key,
      PrincipalKind kind,
      PrincipalStatus status,
      String sponsor,
      String parent) {
    return PrincipalState.newBuilder()
        .setId(new Signer(kind, key).id())
        .setKind(kind)
        .setPublicKey(ByteBuffer.wrap(key.publicKey().raw()))
        .setStatus(status)
        .setSponsorId(sponsor)
        .setParentAgentId(parent)
        .setName("n")
        .setContact(kind == PrincipalKind.SPONSOR ? "ops@example.org" : null)
        .setCapabilities(List.of("invoices:read"))
        .setCreatedAt(NOW - 1000)
        .setTrust(kind == PrincipalKind.AGENT ? Evidence.registered(NOW - 1000).toAvro() : null)
        .setChainSeq(-1)
        .setChainHead(ByteBuffer.wrap(new byte[32]))
        .setChainLedgerSeq(-1)
        .build();
  }

  static FakeLedger populated() {
    FakeLedger ledger = new FakeLedger();
    ledger.keys.put(Signer.admin(ADMIN).id(), ADMIN.publicKey().raw());
    ledger.add(principal(ACME, PrincipalKind.SPONSOR, PrincipalStatus.ACTIVE, null, null));
    ledger.add(principal(BOT, PrincipalKind.AGENT, PrincipalStatus.ACTIVE, ACME_ID, null));
    ledger.add(principal(CHILD, PrincipalKind.AGENT, PrincipalStatus.ACTIVE, ACME_ID, BOT_ID));
    ledger.add(principal(GONE, PrincipalKind.AGENT, PrincipalStatus.REVOKED, ACME_ID, null));
    // bot has strong negative evidence; child has none, so its effective trust is bot's.
    ledger.setEvidence(BOT_ID, new Evidence(0.5, 6.0, NOW - 1000, NOW - 1000, 1, 3));
    for (long seq = 0; seq < 3; seq++) {
      ledger.addEntry(
          EntryHash.seal(
              UnhashedLedgerEntry.newBuilder()
                  .setSubjectId(BOT_ID)
                  .setSeq(seq)
                  .setPrevHash(ByteBuffer.wrap(new byte[32]))
                  .setLedgerTime(NOW)
                  .setLedgerSeq(seq)
                  .setEvent(
                      Events.report(BOT_ID, "i" + seq, 10, Severity.LOW, "q")
                          .eventId("r" + seq)
                          .issuedAt(NOW)
                          .sign(Signer.admin(ADMIN)))
                  .setFacts(EntryFacts.newBuilder().setStatusAfter(PrincipalStatus.ACTIVE).build())
                  .build()));
    }
    ledger.decide(
        BOT_ID,
        "r1",
        Decision.newBuilder()
            .setEventHash(ByteBuffer.wrap(new byte[32]))
            .setStatus(DecisionStatus.ACCEPTED)
            .setEntry(
                EntryRef.newBuilder()
                    .setSubjectId(BOT_ID)
                    .setSeq(1)
                    .setEntryHash(ByteBuffer.wrap(new byte[32]))
                    .setLedgerSeq(1)
                    .build())
            .setLedgerTime(NOW)
            .build());
    ledger.decide(
        BOT_ID,
        "bad",
        Decision.newBuilder()
            .setEventHash(ByteBuffer.wrap(new byte[32]))
            .setStatus(DecisionStatus.REJECTED)
            .setReason(RejectionReason.SELF_REPORT)
            .setDetail("an agent cannot report on itself")
            .setLedgerTime(NOW)
            .build());
    ledger.checkpoint("test.ledger", LEDGER_KEY, NOW);
    return ledger;
  }

  static Javalin start(FakeLedger ledger, ApiOptions options) {
    return start(ledger, options, null);
  }

  /** The API over {@code ledger}, with metrics when {@code metrics} is not null. */
  static Javalin start(
      FakeLedger ledger,
      ApiOptions options,
      io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics) {
    return ApiApp.create(
            new ApiApp.Deps(
                ledger,
                ledger,
                ledger,
                SingleObjectFormat.of(SignedEvent.getClassSchema()),
                StoreLocator.local(),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                () -> true,
                metrics,
                options,
                Witnessing.NONE,
                dev.trustledger.crypto.KeyRing.of(LEDGER_KEY)))
        .start("127.0.0.1", 0);
  }

  @BeforeEach
  void setUp() {
    ledger = populated();
    app = start(ledger, new ApiOptions(16 * 1024, "", List.of()));
    client = new ApiClient("http://127.0.0.1:" + app.port());
  }

  @AfterEach
  void tearDown() {
    app.stop();
  }

  @Test
  void agentLookupShowsTrustStatusSponsorAndChain() {
    var r = client.get("/v1/agents/{id}", "/v1/agents/" + BOT_ID);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("agent_id").asText()).isEqualTo(BOT_ID);
    assertThat(r.json().get("status").asText()).isEqualTo("active");
    assertThat(r.json().get("human_sponsor").get("sponsor_id").asText()).isEqualTo(ACME_ID);
    assertThat(r.json().get("reports").get("negative").asInt()).isEqualTo(3);
    assertThat(r.json().get("chain").get("seq").asLong()).isEqualTo(2);
    assertThat(r.json().get("trust_score").asInt()).isLessThan(50);
    assertThat(r.json().get("as_of").asLong()).isEqualTo(NOW);
  }

  @Test
  void subAgentsEffectiveTrustIsCappedByItsParent() {
    var child = client.get("/v1/agents/{id}", "/v1/agents/" + CHILD_ID).json();
    var bot = client.get("/v1/agents/{id}", "/v1/agents/" + BOT_ID).json();
    assertThat(child.get("trust").asDouble()).isGreaterThan(bot.get("trust").asDouble());
    assertThat(child.get("effective_trust").asDouble())
        .isCloseTo(bot.get("trust").asDouble(), within(1e-12));
  }

  @Test
  void revokedAgentScoresZero() {
    var r = client.get("/v1/agents/{id}", "/v1/agents/" + GONE_ID).json();
    assertThat(r.get("status").asText()).isEqualTo("revoked");
    assertThat(r.get("trust_score").asInt()).isZero();
  }

  @Test
  void malformedAgentIdIsA400Problem() {
    var r = client.get("/v1/agents/{id}", "/v1/agents/agt_NOT-AN-ID");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("type").asText()).isEqualTo("urn:trustledger:problem:invalid-id");
  }

  @Test
  void unknownAgentIsA404Problem() {
    var r = client.get("/v1/agents/{id}", "/v1/agents/" + Signer.agent(Fixtures.key("x")).id());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("status").asInt()).isEqualTo(404);
  }

  @Test
  void entriesArePaged() {
    var first = client.get("/v1/agents/{id}/entries", "/v1/agents/" + BOT_ID + "/entries?limit=2");
    assertThat(first.json().get("entries")).hasSize(2);
    assertThat(first.json().get("next_from_seq").asLong()).isEqualTo(2);
    var rest =
        client.get("/v1/agents/{id}/entries", "/v1/agents/" + BOT_ID + "/entries?from_seq=2");
    assertThat(rest.json().get("entries")).hasSize(1);
    assertThat(rest.json().get("entries").get(0).get("event").get("type").asText())
        .isEqualTo("SignedEvent");
    assertThat(rest.json().get("next_from_seq").isNull()).isTrue();
  }

  @Test
  void badPagingParametersAre400() {
    for (String q : List.of("limit=0", "limit=1001", "limit=x", "from_seq=-1")) {
      var r = client.get("/v1/agents/{id}/entries", "/v1/agents/" + BOT_ID + "/entries?" + q);
      assertThat(r.status()).as(q).isEqualTo(400);
    }
  }

  @Test
  void sponsorAndTheAgentsItAnswersFor() {
    var s = client.get("/v1/sponsors/{id}", "/v1/sponsors/" + ACME_ID).json();
    assertThat(s.get("contact").asText()).isEqualTo("ops@example.org");
    var page =
        client
            .get("/v1/sponsors/{id}/agents", "/v1/sponsors/" + ACME_ID + "/agents?limit=2")
            .json();
    assertThat(page.get("agents")).hasSize(2);
    var rest =
        client
            .get(
                "/v1/sponsors/{id}/agents",
                "/v1/sponsors/" + ACME_ID + "/agents?after=" + page.get("next").asText())
            .json();
    assertThat(rest.get("agents")).hasSize(1);
    assertThat(rest.get("next").isNull()).isTrue();
  }

  private String verifyBody(String agent, Ed25519PrivateKey key, String message, Integer min) {
    byte[] m = message.getBytes();
    return "{\"agent_id\":\""
        + agent
        + "\",\"message\":\""
        + Base64Url.encode(m)
        + "\",\"signature\":\""
        + Base64Url.encode(Messages.sign(key, m))
        + "\""
        + (min == null ? "" : ",\"min_trust\":" + min)
        + "}";
  }

  @Test
  void verifyAnswersTheGatewaysQuestion() {
    var ok =
        client
            .postJson("/v1/verify", "/v1/verify", verifyBody(CHILD_ID, CHILD, "GET /invoices", 0))
            .json();
    assertThat(ok.get("verified").asBoolean()).isTrue();
    assertThat(ok.get("trusted").asBoolean()).isTrue();
    assertThat(ok.get("reason").asText()).isEqualTo("ok");

    var low =
        client.postJson("/v1/verify", "/v1/verify", verifyBody(BOT_ID, BOT, "m", null)).json();
    assertThat(low.get("trusted").asBoolean()).isFalse();
    assertThat(low.get("reason").asText()).isEqualTo("below_min_trust");

    var forged =
        client.postJson("/v1/verify", "/v1/verify", verifyBody(BOT_ID, CHILD, "m", 0)).json();
    assertThat(forged.get("verified").asBoolean()).isFalse();
    assertThat(forged.get("reason").asText()).isEqualTo("bad_signature");

    var revoked =
        client.postJson("/v1/verify", "/v1/verify", verifyBody(GONE_ID, GONE, "m", 0)).json();
    assertThat(revoked.get("reason").asText()).isEqualTo("revoked");

    var unknown =
        client
            .postJson(
                "/v1/verify",
                "/v1/verify",
                verifyBody(Signer.agent(Fixtures.key("u")).id(), GONE, "m", 0))
            .json();
    assertThat(unknown.get("reason").asText()).isEqualTo("unknown_agent");
  }

  @Test
  void eventSignatureOverTheRawMessageIsNotAMessageSignature() {
    byte[] m = "m".getBytes();
    String body =
        "{\"agent_id\":\""
            + CHILD_ID
            + "\",\"message\":\""
            + Base64Url.encode(m)
            + "\",\"signature\":\""
            + Base64Url.encode(CHILD.sign(m))
            + "\",\"min_trust\":0}";
    assertThat(client.postJson("/v1/verify", "/v1/verify", body).json().get("verified").asBoolean())
        .isFalse();
  }

  @Test
  void signedEventAsJsonIsCheckedAndPublished() {
    SignedEvent event =
        Events.report(CHILD_ID, "i9", 90, Severity.LOW, "q")
            .eventId("e-1")
            .issuedAt(NOW)
            .sign(Signer.admin(ADMIN));
    var r = client.postJson("/v1/events", "/v1/events", AvroJson.toJson(event).toString());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String hash = dev.trustledger.encoding.Hex.encode(dev.trustledger.event.EventHashes.of(event));
    assertThat(r.json().get("status_url").asText())
        .isEqualTo("/v1/events/" + CHILD_ID + "/e-1?event_hash=" + hash);
    assertThat(r.json().get("event_hash").asText()).isEqualTo(hash);
    assertThat(dev.trustledger.event.Outcomes.verifyAnswer(r.json(), LEDGER_KEY.publicKey()))
        .as("the ledger signed that it received the event")
        .isTrue();
    assertThat(ledger.published).containsExactly(event);
  }

  @Test
  void signedEventAsAvroBytesIsPublished() {
    SignedEvent event =
        Events.suspend(BOT_ID, "incident").eventId("s-1").issuedAt(NOW).sign(Signer.sponsor(ACME));
    byte[] bytes =
        SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema())
            .encode("ledger.events", event);
    var r = client.post("/v1/events", "/v1/events", "application/octet-stream", bytes);
    assertThat(r.status()).isEqualTo(202);
    assertThat(ledger.published).containsExactly(event);
  }

  @Test
  void forgedEventIsRefusedBeforePublishing() {
    SignedEvent event =
        Events.suspend(BOT_ID, "incident").eventId("s-1").issuedAt(NOW).sign(Signer.sponsor(ACME));
    SignedEvent forged = SignedEvent.newBuilder(event).setEventId("s-2").build();
    var r = client.postJson("/v1/events", "/v1/events", AvroJson.toJson(forged).toString());
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("reason").asText()).isEqualTo("bad_signature");
    assertThat(ledger.published).isEmpty();
  }

  @Test
  void eventOfAnUnknownSignerIs422() {
    SignedEvent event =
        Events.suspend(BOT_ID, "x")
            .eventId("s-1")
            .issuedAt(NOW)
            .sign(Signer.sponsor(Fixtures.key("nobody")));
    var r = client.postJson("/v1/events", "/v1/events", AvroJson.toJson(event).toString());
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("type").asText()).endsWith("unknown-signer");
  }

  @Test
  void eventStatusIsPendingAcceptedOrRejected() {
    var pending =
        client.get("/v1/events/{subject}/{event_id}", "/v1/events/" + BOT_ID + "/nope").json();
    assertThat(pending.get("status").asText()).isEqualTo("pending");
    var accepted =
        client.get("/v1/events/{subject}/{event_id}", "/v1/events/" + BOT_ID + "/r1").json();
    assertThat(accepted.get("status").asText()).isEqualTo("accepted");
    assertThat(accepted.get("seq").asLong()).isEqualTo(1);
    var rejected =
        client.get("/v1/events/{subject}/{event_id}", "/v1/events/" + BOT_ID + "/bad").json();
    assertThat(rejected.get("reason").asText()).isEqualTo("self_report");
    for (var answer : List.of(accepted, rejected)) {
      assertThat(dev.trustledger.event.Outcomes.verifyAnswer(answer, LEDGER_KEY.publicKey()))
          .as("signed: %s", answer)
          .isTrue();
      var forged = answer.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) forged).put("ledger_time", NOW + 1);
      assertThat(dev.trustledger.event.Outcomes.verifyAnswer(forged, LEDGER_KEY.publicKey()))
          .isFalse();
    }
    assertThat(pending.has("signature")).isFalse();
  }

  @Test
  void checkpointsCarryTheSignedNote() {
    var r = client.get("/v1/checkpoints", "/v1/checkpoints").json();
    assertThat(r.get("checkpoints").get(0).get("size").asLong()).isEqualTo(3);
  }

  @Test
  void operationalEndpointsAnswer() {
    assertThat(client.get("/healthz", "/healthz").status()).isEqualTo(200);
    assertThat(client.get("/readyz", "/readyz").status()).isEqualTo(200);
    var spec = client.get("/openapi.yaml", "/openapi.yaml");
    assertThat(spec.text()).startsWith("openapi: 3.1.0");
    var page = client.raw("GET", "/", null, null);
    assertThat(page.text()).contains("Trust Ledger explorer");
  }

  @Test
  void unknownRouteAndWrongMethodAreProblems() {
    var missing = client.raw("GET", "/v1/nothing", null, null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    var wrong = client.raw("DELETE", "/v1/agents/" + BOT_ID, null, null);
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.contentType()).startsWith("application/problem+json");
  }

  @Test
  void oversizedBodyIs413() {
    var r = client.postJson("/v1/events", "/v1/events", "{\"x\":\"" + "a".repeat(40_000) + "\"}");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  @Test
  void readsNeedTheBearerTokenWhenOneIsSet() {
    app.stop();
    app = start(ledger, new ApiOptions(16 * 1024, "s3cret", List.of()));
    ApiClient anonymous = new ApiClient("http://127.0.0.1:" + app.port());
    assertThat(anonymous.get("/v1/agents/{id}", "/v1/agents/" + BOT_ID).status()).isEqualTo(401);
    ApiClient authorized = new ApiClient("http://127.0.0.1:" + app.port()).withToken("s3cret");
    assertThat(authorized.get("/v1/agents/{id}", "/v1/agents/" + BOT_ID).status()).isEqualTo(200);
    assertThat(anonymous.get("/healthz", "/healthz").status()).isEqualTo(200);
  }

  @Test
  void duringARotationTheOldAndTheNewReadTokenAreBothAccepted() {
    app.stop();
    app = start(ledger, new ApiOptions(16 * 1024, "old-t0ken, new-t0ken", List.of()));
    String base = "http://127.0.0.1:" + app.port();
    String agent = "/v1/agents/" + BOT_ID;
    for (String token : List.of("old-t0ken", "new-t0ken")) {
      assertThat(new ApiClient(base).withToken(token).get("/v1/agents/{id}", agent).status())
          .as(token)
          .isEqualTo(200);
    }
    for (String token : List.of("other", "old-t0ken, new-t0ken", "old-t0ken,new-t0ken", "")) {
      assertThat(new ApiClient(base).withToken(token).get("/v1/agents/{id}", agent).status())
          .as("'" + token + "'")
          .isEqualTo(401);
    }
  }

  @Test
  void theBearerSchemeIsMatchedInAnyCaseTheTokenExactly() {
    app.stop();
    app = start(ledger, new ApiOptions(16 * 1024, "s3cret", List.of()));
    String base = "http://127.0.0.1:" + app.port();
    String agent = "/v1/agents/" + BOT_ID;
    assertThat(
            new ApiClient(base)
                .withAuthorization("bearer s3cret")
                .get("/v1/agents/{id}", agent)
                .status())
        .isEqualTo(200);
    assertThat(
            new ApiClient(base)
                .withAuthorization("BEARER s3cret")
                .get("/v1/agents/{id}", agent)
                .status())
        .isEqualTo(200);
    assertThat(
            new ApiClient(base)
                .withAuthorization("Bearer S3CRET")
                .get("/v1/agents/{id}", agent)
                .status())
        .isEqualTo(401);
    assertThat(
            new ApiClient(base)
                .withAuthorization("Basic s3cret")
                .get("/v1/agents/{id}", agent)
                .status())
        .isEqualTo(401);
    assertThat(
            new ApiClient(base)
                .withAuthorization("Bearer s3cret2")
                .get("/v1/agents/{id}", agent)
                .status())
        .isEqualTo(401);
  }

  @Test
  void metricsNeedTheMetricsTokenOrElseTheReadToken() {
    app.stop();
    var registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    app = start(ledger, new ApiOptions(16 * 1024, "", List.of(), "m3trics", 200, 32), registry);
    String base = "http://127.0.0.1:" + app.port();
    assertThat(new ApiClient(base).get("/metrics", "/metrics").status()).isEqualTo(401);
    assertThat(new ApiClient(base).withToken("wrong").get("/metrics", "/metrics").status())
        .isEqualTo(401);
    assertThat(new ApiClient(base).withToken("m3trics").get("/metrics", "/metrics").status())
        .isEqualTo(200);
    assertThat(new ApiClient(base).get("/v1/agents/{id}", "/v1/agents/" + BOT_ID).status())
        .as("reads stay open: there is no read token")
        .isEqualTo(200);
    app.stop();
    app = start(ledger, new ApiOptions(16 * 1024, "r3ad", List.of()), registry);
    base = "http://127.0.0.1:" + app.port();
    assertThat(new ApiClient(base).get("/metrics", "/metrics").status()).isEqualTo(401);
    assertThat(new ApiClient(base).withToken("r3ad").get("/metrics", "/metrics").status())
        .isEqualTo(200);
  }

  @Test
  void theExplorerForbidsFramingSniffingAndForeignScripts() {
    var page = client.raw("GET", "/", null, null).raw().headers();
    assertThat(page.firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.firstValue("Referrer-Policy")).contains("no-referrer");
    var problem = client.raw("GET", "/v1/nothing", null, null).raw().headers();
    assertThat(problem.firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void corsIsClosedByDefault() {
    var r = client.get("/v1/agents/{id}", "/v1/agents/" + BOT_ID);
    assertThat(r.raw().headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
