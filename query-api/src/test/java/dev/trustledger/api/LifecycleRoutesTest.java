package dev.trustledger.api;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Events;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.serde.SingleObjectFormat;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a gateway reads of an agent's lifecycle, over a real ledger in memory: effective status from
 * a suspended parent or sponsor (with the ancestor that caused it), capabilities narrowed by the
 * parent, expiry with the time left, the key in force after a rotation; and {@code POST /v1/verify}
 * answering each of them. Every response is checked against openapi.yaml.
 */
class LifecycleRoutesTest {
  static final long T = 1_767_225_600_000L;
  static final long NOW = T + 5000;
  StepLedger ledger;
  Javalin app;
  ApiClient client;

  @BeforeEach
  void start() {
    ledger = new StepLedger(T);
    ledger.accept(
        T,
        registerSponsor("acme", T),
        Events.registerAgent(key("bot").publicKey(), sponsorId("acme"))
            .name("invoice bot")
            .capabilities(List.of("docs:read", "docs:write"))
            .draft()
            .eventId("reg-bot")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("bot")),
        Events.registerAgent(key("helper").publicKey(), sponsorId("acme"))
            .name("helper")
            .parent(agentId("bot"))
            .capabilities(List.of("docs:read", "docs:write"))
            .expiresAt(NOW + 60_000)
            .draft()
            .eventId("reg-helper")
            .issuedAt(T)
            .sign(Signer.agent(key("bot")), key("helper")));
    app =
        ApiApp.create(
                new ApiApp.Deps(
                    ledger,
                    id -> Optional.empty(),
                    e -> CompletableFuture.completedFuture(null),
                    SingleObjectFormat.of(SignedEvent.getClassSchema()),
                    StoreLocator.local(),
                    Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                    () -> true,
                    null,
                    new ApiOptions(16 * 1024, "", List.of()),
                    Witnessing.NONE,
                    KeyRing.of(LedgerDriver.LEDGER_KEY)))
            .start("127.0.0.1", 0);
    client = new ApiClient("http://127.0.0.1:" + app.port());
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  private JsonNode agent(String name) {
    var r = client.get("/v1/agents/{id}", "/v1/agents/" + agentId(name));
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  private JsonNode verify(String name, Ed25519PrivateKey signer, String... capabilities) {
    byte[] message = "GET /invoices/7".getBytes(StandardCharsets.UTF_8);
    StringBuilder caps = new StringBuilder();
    for (String c : capabilities) {
      caps.append(caps.length() == 0 ? "" : ",").append('"').append(c).append('"');
    }
    String body =
        "{\"agent_id\":\""
            + agentId(name)
            + "\",\"message\":\""
            + Base64Url.encode(message)
            + "\",\"signature\":\""
            + Base64Url.encode(Messages.sign(signer, message))
            + "\",\"min_trust\":0"
            + (capabilities.length == 0 ? "" : ",\"required_capabilities\":[" + caps + "]")
            + "}";
    var r = client.postJson("/v1/verify", "/v1/verify", body);
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  @Test
  void aSubAgentOfASuspendedParentIsSuspendedThroughIt() {
    ledger.accept(
        T + 10,
        Events.suspend(agentId("bot"), "check")
            .eventId("s")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    JsonNode helper = agent("helper");
    assertThat(helper.get("name").asText()).isEqualTo("helper");
    assertThat(helper.get("status").asText()).isEqualTo("suspended");
    assertThat(helper.get("own_status").asText()).isEqualTo("active");
    assertThat(helper.get("status_cause").asText()).isEqualTo(agentId("bot"));
    JsonNode answer = verify("helper", key("helper"));
    assertThat(answer.get("trusted").asBoolean()).isFalse();
    assertThat(answer.get("reason").asText()).isEqualTo("suspended");
    assertThat(answer.get("status_cause").asText()).isEqualTo(agentId("bot"));

    ledger.accept(
        T + 20,
        Events.reinstate(agentId("bot"), "ok")
            .eventId("r")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    assertThat(agent("helper").get("status").asText()).isEqualTo("active");
    assertThat(verify("helper", key("helper")).get("reason").asText()).isEqualTo("ok");

    ledger.accept(
        T + 30,
        Events.suspendSponsor(sponsorId("acme"), "audit")
            .eventId("ss")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)));
    assertThat(agent("bot").get("status_cause").asText()).isEqualTo(sponsorId("acme"));
    assertThat(verify("bot", key("bot")).get("reason").asText()).isEqualTo("suspended");
  }

  @Test
  void aParentsLostCapabilityIsMissingForItsSubAgent() {
    assertThat(verify("helper", key("helper"), "docs:write").get("reason").asText())
        .isEqualTo("ok");
    ledger.accept(
        T + 10,
        Events.changeCapabilities(agentId("bot"), List.of("docs:read"), "narrow")
            .eventId("c")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    JsonNode helper = agent("helper");
    assertThat(helper.get("capabilities")).hasSize(2);
    assertThat(helper.get("effective_capabilities")).hasSize(1);
    assertThat(helper.get("effective_capabilities").get(0).asText()).isEqualTo("docs:read");
    JsonNode answer = verify("helper", key("helper"), "docs:read", "docs:write");
    assertThat(answer.get("reason").asText()).isEqualTo("capability_missing");
    assertThat(answer.get("missing_capabilities")).hasSize(1);
    assertThat(answer.get("missing_capabilities").get(0).asText()).isEqualTo("docs:write");
  }

  @Test
  void expiryShowsTheTimeLeftAndEndsTrust() {
    JsonNode helper = agent("helper");
    assertThat(helper.get("expires_at").asLong()).isEqualTo(NOW + 60_000);
    assertThat(helper.get("expires_in_ms").asLong()).isEqualTo(60_000);
    assertThat(agent("bot").get("expires_in_ms").isNull()).isTrue();
    ledger.accept(
        T + 10,
        Events.renew(agentId("helper"), NOW - 1, "short")
            .eventId("n")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    assertThat(agent("helper").get("expired").asBoolean()).isTrue();
    assertThat(agent("helper").get("expires_in_ms").asLong()).isZero();
    assertThat(verify("helper", key("helper")).get("reason").asText()).isEqualTo("expired");
  }

  @Test
  void afterARotationTheGatewaySeesTheNewKeyAtOnce() {
    ledger.accept(
        T + 10,
        Events.rotateKey(agentId("bot"), key("bot-2").publicKey(), "leaked")
            .eventId("rot")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("bot-2")));
    JsonNode bot = agent("bot");
    assertThat(bot.get("agent_id").asText()).isEqualTo(agentId("bot"));
    assertThat(bot.get("public_key").asText())
        .isEqualTo(Base64Url.encode(key("bot-2").publicKey().raw()));
    assertThat(verify("bot", key("bot")).get("reason").asText()).isEqualTo("bad_signature");
    assertThat(verify("bot", key("bot-2")).get("reason").asText()).isEqualTo("ok");
    assertThat(Signer.rotated(PrincipalKind.AGENT, agentId("bot"), key("bot-2")).id())
        .isEqualTo(agentId("bot"));
  }
}
