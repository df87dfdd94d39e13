package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ssf.SecurityEvents;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.testutil.Fixtures;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shared Signals end to end: a receiver started here gets a signed SET for a revocation after being
 * down for a while, and verifies it with the ledger's public key; the same SET can be polled and
 * acknowledged.
 */
class SharedSignalsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Ed25519PrivateKey ACME = Fixtures.key("ssf-acme");
  private static final Ed25519PrivateKey BOT = Fixtures.key("ssf-bot");
  private static final long DOWN_MS = 3000;
  private static KafkaCluster cluster;
  private static LedgerNode node;
  private static HttpServer receiver;
  private static final List<String> received = new CopyOnWriteArrayList<>();
  private static final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private static final AtomicInteger attempts = new AtomicInteger();
  private static volatile long firstAttempt;

  @BeforeAll
  static void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/events",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          attempts.incrementAndGet();
          if (firstAttempt == 0) {
            firstAttempt = System.currentTimeMillis();
          }
          // Down for a while after the first attempt: the transmitter must retry.
          int status = System.currentTimeMillis() - firstAttempt < DOWN_MS ? 503 : 202;
          if (status == 202) {
            received.add(new String(body, StandardCharsets.US_ASCII));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    cluster = KafkaCluster.start(1);
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory("ssf-it"), "ssf-it");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    values.put(
        LedgerConfig.SSF_PUSH_URLS_CONFIG,
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
    values.put(LedgerConfig.SSF_AUDIENCE_CONFIG, "https://gateway.example");
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
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(node.url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean readable(String path) throws Exception {
    return HTTP.send(
                HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  /** The claims of a SET whose EdDSA signature verifies under the ledger key; fails otherwise. */
  private static JsonNode verified(String token) throws Exception {
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header = JSON.readTree(Base64Url.decode(parts[0]));
    assertThat(header.path("alg").asText()).isEqualTo("EdDSA");
    assertThat(header.path("typ").asText()).isEqualTo("secevent+jwt");
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(
        false, new Ed25519PublicKeyParameters(LedgerDriver.LEDGER_KEY.publicKey().raw(), 0));
    byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    verifier.update(input, 0, input.length);
    assertThat(verifier.verifySignature(Base64Url.decode(parts[2])))
        .as("signed by the ledger key")
        .isTrue();
    return JSON.readTree(Base64Url.decode(parts[1]));
  }

  @Test
  void aRevocationReachesAReceiverThatWasDownAsASignedSetAndCanBePolled() throws Exception {
    long now = System.currentTimeMillis();
    node.publish(
        Events.registerSponsor(ACME.publicKey(), "Acme", "ops@acme.example")
            .issuedAt(now)
            .sign(Signer.admin(LedgerDriver.ADMIN), ACME));
    SignedEvent bot =
        Events.registerAgent(BOT.publicKey(), Signer.sponsor(ACME).id())
            .name("bot")
            .draft()
            .issuedAt(now)
            .sign(Signer.sponsor(ACME), BOT);
    // Inputs on different partitions are decided in any order: each waits for the one it needs.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readable("/v1/sponsors/" + Signer.sponsor(ACME).id()));
    node.publish(bot);
    String agent = bot.getSubjectId();
    await().atMost(Duration.ofSeconds(30)).until(() -> readable("/v1/agents/" + agent));
    node.publish(Events.revoke(agent, "compromised").issuedAt(now).sign(Signer.sponsor(ACME)));

    await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
    assertThat(attempts.get()).as("retried while the receiver was down").isGreaterThan(1);
    assertThat(contentTypes.get(0)).isEqualTo("application/secevent+jwt");
    JsonNode claims = verified(received.get(0));
    assertThat(claims.path("aud").asText()).isEqualTo("https://gateway.example");
    assertThat(claims.path("sub_id").path("format").asText()).isEqualTo("opaque");
    assertThat(claims.path("sub_id").path("id").asText()).isEqualTo(agent);
    JsonNode event = claims.path("events").path(SecurityEvents.PURGED);
    assertThat(event.isObject()).as("account-purged").isTrue();
    assertThat(event.path("trustledger").path("status").asText()).isEqualTo("revoked");
    String jti = claims.path("jti").asText();
    assertThat(jti).startsWith("ldg_");
    Thread.sleep(500);
    assertThat(received).as("one SET for one revocation").hasSize(1);

    JsonNode polled = JSON.readTree(post("/v1/ssf/poll", "{\"returnImmediately\":true}").body());
    assertThat(polled.path("sets").has(jti)).isTrue();
    assertThat(verified(polled.path("sets").path(jti).asText()).path("jti").asText())
        .isEqualTo(jti);
    JsonNode after =
        JSON.readTree(
            post("/v1/ssf/poll", "{\"returnImmediately\":true,\"ack\":[\"" + jti + "\"]}").body());
    assertThat(after.path("sets").has(jti)).as("acknowledged").isFalse();
    assertThat(post("/v1/ssf/poll", "{\"maxEvents\":\"x\"}").statusCode()).isEqualTo(400);

    JsonNode jwks =
        JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(node.url() + "/v1/ssf/jwks")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(jwks.path("keys").get(0).path("x").asText())
        .isEqualTo(Base64Url.encode(LedgerDriver.LEDGER_KEY.publicKey().raw()));
  }
}
