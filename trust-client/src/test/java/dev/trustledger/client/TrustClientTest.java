package dev.trustledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a canned stream served here: it applies agents and the ledger's parameters,
 * checks signatures, and fails closed when the stream goes quiet.
 */
class TrustClientTest {
  private static final byte[] SEED = new byte[32];
  private static final Ed25519PrivateKeyParameters KEY = new Ed25519PrivateKeyParameters(SEED, 0);
  private static final String AGENT = "agt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final byte[] MESSAGE = "GET /invoices/7".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final CountDownLatch hangUp = new CountDownLatch(1);

  @AfterEach
  void stop() {
    hangUp.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private static byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, KEY);
    byte[] domain = "trustledger/v1/message\n".getBytes(StandardCharsets.US_ASCII);
    signer.update(domain, 0, domain.length);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  private static String agentEvent(String status, long evidenceTime) {
    String key =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(KEY.generatePublicKey().getEncoded());
    return "id: 2-0\nevent: status\ndata: {\"id\":\""
        + AGENT
        + "\",\"kind\":\"agent\",\"changed\":[\"status\"],\"ledger_seq\":2,\"status\":\""
        + status
        + "\",\"public_key\":\""
        + key
        + "\",\"parent_agent_id\":null,\"effective_capabilities\":[\"docs:read\"],"
        + "\"expires_at\":null,\"evidence\":{\"positive\":0,\"negative\":0,\"evidence_time\":"
        + evidenceTime
        + ",\"activity_time\":"
        + evidenceTime
        + "}}\n\n";
  }

  private static final String LEDGER_EVENT =
      "id: 0-0\nevent: ledger\ndata: {\"id\":\"ldg_x\",\"kind\":\"ledger\",\"changed\":[\"ledger\"],"
          + "\"ledger_seq\":0,\"trust_params\":{\"prior\":0.5,\"prior_weight\":2.0,"
          + "\"evidence_half_life_ms\":2592000000,\"inactivity_half_life_ms\":7776000000}}\n\n";

  /** Serves the ledger event, an agent, the caught-up mark, then nothing until hung up. */
  private URI serve(String status) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/stream",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(
              (LEDGER_EVENT + agentEvent(status, System.currentTimeMillis()) + ": caught-up\n")
                  .getBytes(StandardCharsets.UTF_8));
          out.flush();
          try {
            hangUp.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void anActiveAgentMayActUntilTheFeedGoesQuietThenEveryAnswerIsStale() throws Exception {
    URI node = serve("active");
    try (TrustClient client =
        TrustClient.builder(node).maxStaleness(Duration.ofSeconds(1)).build()) {
      assertThat(client.awaitReady(Duration.ofSeconds(10))).isTrue();
      TrustClient.Answer ok = client.check(AGENT, MESSAGE, sign(MESSAGE), 50, List.of("docs:read"));
      assertThat(ok.reason()).isEqualTo(TrustClient.Reason.OK);
      assertThat(ok.trustScore()).isEqualTo(50);
      assertThat(client.check(AGENT, MESSAGE, sign("other".getBytes()), 0, List.of()).reason())
          .isEqualTo(TrustClient.Reason.BAD_SIGNATURE);
      assertThat(client.check(AGENT, MESSAGE, sign(MESSAGE), 51, List.of()).reason())
          .isEqualTo(TrustClient.Reason.LOW_TRUST);
      assertThat(client.check(AGENT, MESSAGE, sign(MESSAGE), 0, List.of("docs:write")).reason())
          .isEqualTo(TrustClient.Reason.CAPABILITY_MISSING);
      assertThat(client.check("agt_other", MESSAGE, sign(MESSAGE), 0, List.of()).reason())
          .isEqualTo(TrustClient.Reason.UNKNOWN_AGENT);

      // The server sends nothing more (no heartbeat): past the bound, the client fails closed.
      Thread.sleep(1500);
      assertThat(client.check(AGENT, MESSAGE, sign(MESSAGE), 0, List.of()).reason())
          .isEqualTo(TrustClient.Reason.STALE);
    }
  }

  @Test
  void aRevokedAgentIsDenied() throws Exception {
    URI node = serve("revoked");
    try (TrustClient client =
        TrustClient.builder(node).maxStaleness(Duration.ofSeconds(5)).build()) {
      assertThat(client.awaitReady(Duration.ofSeconds(10))).isTrue();
      TrustClient.Answer a = client.check(AGENT, MESSAGE, sign(MESSAGE), 0, List.of());
      assertThat(a.reason()).isEqualTo(TrustClient.Reason.REVOKED);
      assertThat(a.trustScore()).isZero();
    }
  }

  @Test
  void aClientThatNeverHeardFromItsNodeFailsClosed() {
    try (TrustClient client =
        TrustClient.builder(URI.create("http://127.0.0.1:9"))
            .maxStaleness(Duration.ofSeconds(1))
            .build()) {
      assertThat(client.check(AGENT, MESSAGE, sign(MESSAGE), 0, List.of()).reason())
          .isEqualTo(TrustClient.Reason.STALE);
    }
  }
}
