package dev.trustledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.client.TrustClient;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Events;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testkit.KafkaCluster;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Revocation-to-denial latency: a full node decides, a second node (a reader) answers. For each of
 * N agents in turn, the time from publishing its signed revocation to (a) POST /v1/verify on the
 * second node answering "revoked", (b) a Server-Sent Events subscriber of the second node receiving
 * the status event, (c) a TrustClient following the second node denying it.
 *
 * <pre>
 * ./mvnw -pl query-api -am -Prevocation-latency test-compile exec:exec -Dload.revocations=1000
 * </pre>
 */
public final class RevocationLatency {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private RevocationLatency() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("load.revocations", 1000);
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      LedgerNode full = BenchNodes.start(cluster, "bench", "full", Map.of());
      LedgerNode second =
          BenchNodes.start(
              cluster,
              "bench",
              "reader",
              Map.of(
                  LedgerConfig.NODE_ROLE_CONFIG,
                  "reader",
                  LedgerConfig.NODE_FORWARD_URL_CONFIG,
                  full.url()));
      Random random = new Random(11);
      Ed25519PrivateKey sponsor = BenchNodes.key(random);
      String sponsorId = Signer.sponsor(sponsor).id();
      Ed25519PrivateKey[] keys = new Ed25519PrivateKey[n];
      String[] ids = new String[n];
      byte[] message = "GET /invoices/7".getBytes(StandardCharsets.UTF_8);
      String[] bodies = new String[n];
      long now = System.currentTimeMillis();
      try (LedgerPublisher publisher =
          LedgerPublisher.create(
              cluster.bootstrapServers(), SingleObjectFormat.of(SignedEvent.getClassSchema()))) {
        publisher
            .publish(
                Events.registerSponsor(sponsor.publicKey(), "Bench", "ops@bench.example")
                    .issuedAt(now)
                    .sign(Signer.admin(LedgerDriver.ADMIN), sponsor))
            .get();
        while (second.runtime().reader().principal(sponsorId).isEmpty()) {
          Thread.sleep(50);
        }
        for (int i = 0; i < n; i++) {
          keys[i] = BenchNodes.key(random);
          SignedEvent e =
              Events.registerAgent(keys[i].publicKey(), sponsorId)
                  .name("agent-" + i)
                  .draft()
                  .issuedAt(now)
                  .sign(Signer.sponsor(sponsor), keys[i]);
          ids[i] = e.getSubjectId();
          publisher.publish(e);
          bodies[i] =
              "{\"agent_id\":\""
                  + ids[i]
                  + "\",\"message\":\""
                  + Base64Url.encode(message)
                  + "\",\"signature\":\""
                  + Base64Url.encode(Messages.sign(keys[i], message))
                  + "\",\"min_trust\":0}";
        }
        publisher.flush();
        while (verify(second, bodies[n - 1]).equals("unknown_agent")) {
          Thread.sleep(100);
        }
        System.out.printf("%d agents registered and readable on the second node%n", n);

        Map<String, Long> streamed = new ConcurrentHashMap<>();
        Thread sse = new Thread(() -> follow(second, streamed), "bench-sse");
        sse.setDaemon(true);
        sse.start();
        try (TrustClient client =
            TrustClient.builder(URI.create(second.url()))
                .maxStaleness(Duration.ofSeconds(5))
                .build()) {
          if (!client.awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the trust client did not catch up");
          }
          Thread.sleep(1000);
          long[] viaVerify = new long[n];
          long[] viaStream = new long[n];
          long[] viaClient = new long[n];
          for (int i = 0; i < n; i++) {
            SignedEvent revoke =
                Events.revoke(ids[i], "bench")
                    .issuedAt(System.currentTimeMillis())
                    .sign(Signer.sponsor(sponsor));
            long t0 = System.nanoTime();
            publisher.publish(revoke);
            publisher.flush();
            boolean verifyDone = false;
            boolean clientDone = false;
            while (!(verifyDone && clientDone && streamed.containsKey(ids[i]))) {
              if (!clientDone
                  && client
                          .check(ids[i], message, Messages.sign(keys[i], message), 0, List.of())
                          .reason()
                      == TrustClient.Reason.REVOKED) {
                viaClient[i] = System.nanoTime() - t0;
                clientDone = true;
              }
              if (!verifyDone && verify(second, bodies[i]).equals("revoked")) {
                viaVerify[i] = System.nanoTime() - t0;
                verifyDone = true;
              }
              if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                throw new IllegalStateException("revocation " + i + " not seen within 30 s");
              }
            }
            viaStream[i] = streamed.get(ids[i]) - t0;
          }
          System.out.printf("revocation to denial over %d revocations (ms): p50 / p99 / max%n", n);
          report("(a) POST /v1/verify on the second node", viaVerify);
          report("(b) SSE subscriber of the second node", viaStream);
          report("(c) TrustClient following the second node", viaClient);
        }
      }
      second.close();
      full.close();
    }
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "  %-45s %7.1f %7.1f %7.1f%n",
        what,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static String verify(LedgerNode node, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + "/v1/verify"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return "unknown_agent";
    }
    return JSON.readTree(r.body()).path("reason").asText();
  }

  /** Records when each agent's revocation arrives on the stream. */
  private static void follow(LedgerNode node, Map<String, Long> arrived) {
    try {
      HttpResponse<InputStream> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(node.url() + "/v1/stream?kind=status"))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.startsWith("data:")) {
            long at = System.nanoTime();
            JsonNode data = JSON.readTree(line.substring(5));
            if (data.path("status").asText().equals("revoked")) {
              arrived.putIfAbsent(data.path("id").asText(), at);
            }
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
