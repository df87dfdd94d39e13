package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replicated read model on a real broker: read-your-writes with min_seq, the change stream with
 * resumption, a reader node, and a forged view refused.
 */
class ReadModelIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Ed25519PrivateKey ACME = Fixtures.key("views-acme");
  private static final long WAIT_MS = 1500;
  private static KafkaCluster cluster;
  private static LedgerNode node;
  private static LedgerNode reader;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    node = start("full", Map.of());
    reader =
        start(
            "reader",
            Map.of(
                LedgerConfig.NODE_ROLE_CONFIG,
                "reader",
                LedgerConfig.NODE_FORWARD_URL_CONFIG,
                node.url()));
    node.publish(
        Events.registerSponsor(ACME.publicKey(), "Acme", "ops@acme.example")
            .issuedAt(System.currentTimeMillis())
            .sign(Signer.admin(LedgerDriver.ADMIN), ACME));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(reader, "/v1/sponsors/" + Signer.sponsor(ACME).id()).statusCode() == 200);
  }

  private static LedgerNode start(String name, Map<String, Object> extra) throws Exception {
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory("views-" + name), "views-it");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    values.put(LedgerConfig.HTTP_MIN_SEQ_WAIT_MS_CONFIG, WAIT_MS);
    values.putAll(extra);
    LedgerNode n = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
    assertThat(n.awaitReady(Duration.ofSeconds(90))).isTrue();
    return n;
  }

  @AfterAll
  static void stop() {
    if (reader != null) {
      reader.close();
    }
    if (node != null) {
      node.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> get(LedgerNode n, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(n.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long seq(HttpResponse<?> r) {
    return Long.parseLong(r.headers().firstValue("Ledger-Seq").orElseThrow());
  }

  private static SignedEvent agent(String name) {
    return agent(ACME, name);
  }

  private static SignedEvent agent(Ed25519PrivateKey sponsor, String name) {
    Ed25519PrivateKey key = Fixtures.key("views-" + name);
    return Events.registerAgent(key.publicKey(), Signer.sponsor(sponsor).id())
        .name(name)
        .capabilities(List.of("docs:read"))
        .draft()
        .issuedAt(System.currentTimeMillis())
        .sign(Signer.sponsor(sponsor), key);
  }

  @Test
  void aReadWithMinSeqWaitsForTheLedgerToGetThereOrAnswers503AtItsBound() throws Exception {
    long now = seq(get(reader, "/v1/sponsors/" + Signer.sponsor(ACME).id()));
    SignedEvent bot = agent("min-seq-bot");
    CompletableFuture<HttpResponse<String>> waiting =
        HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(reader.url() + "/v1/agents/" + bot.getSubjectId()))
                .header("Ledger-Min-Seq", Long.toString(now + 1))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    assertThat(waiting).as("waits for the seq").isNotDone();
    node.publish(bot);
    HttpResponse<String> answered = waiting.get(10, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(seq(answered)).isGreaterThanOrEqualTo(now + 1);

    long started = System.nanoTime();
    HttpResponse<String> far =
        get(reader, "/v1/agents/" + bot.getSubjectId() + "?min_seq=" + (now + 1_000_000));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(far.statusCode()).isEqualTo(503);
    assertThat(far.headers().firstValue("Retry-After")).contains("1");
    assertThat(JSON.readTree(far.body()).path("type").asText()).endsWith(":not-yet");
    assertThat(tookMs).isBetween(WAIT_MS - 100, WAIT_MS + 3000);

    assertThat(get(reader, "/v1/agents/" + bot.getSubjectId() + "?min_seq=x").statusCode())
        .isEqualTo(400);
  }

  @Test
  void aReaderNodeAnswersReadsAndForwardsTheEventStatus() throws Exception {
    SignedEvent helper = agent("reader-helper");
    node.publish(helper);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(reader, "/v1/agents/" + helper.getSubjectId()).statusCode() == 200);
    HttpResponse<String> status =
        get(reader, "/v1/events/" + helper.getSubjectId() + "/" + helper.getEventId());
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(status.body()).path("status").asText()).isEqualTo("accepted");
    JsonNode ready = JSON.readTree(get(reader, "/readyz").body());
    assertThat(ready.path("role").asText()).isEqualTo("reader");
    assertThat(ready.path("sequencer").asText()).isEqualTo(node.url());
    assertThat(reader.streams().metadataForLocalThreads()).as("no stream thread").isEmpty();
  }

  @Test
  void aViewNoNodeWroteIsRefused() throws Exception {
    long before = reader.runtime().views().refused();
    long principals = reader.runtime().views().model().principalCount();
    try (KafkaProducer<String, byte[]> rogue =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      // A view serialized with a key that is not this ledger's.
      byte[] forged =
          dev.trustledger.ledger.view.ViewRecords.serde(Fixtures.key("not-the-ledger"))
              .serializer()
              .serialize(
                  "ledger.views",
                  new dev.trustledger.ledger.avro.View(
                      999L,
                      true,
                      dev.trustledger.ledger.avro.PrincipalState.newBuilder()
                          .setId("agt_forged")
                          .setKind(dev.trustledger.avro.PrincipalKind.AGENT)
                          .setPublicKey(java.nio.ByteBuffer.wrap(new byte[32]))
                          .setStatus(dev.trustledger.avro.PrincipalStatus.ACTIVE)
                          .setName("forged")
                          .setCreatedAt(1)
                          .setChainSeq(0)
                          .setChainHead(java.nio.ByteBuffer.wrap(new byte[32]))
                          .setChainLedgerSeq(0)
                          .build(),
                      null));
      rogue.send(new ProducerRecord<>("ledger.views", "agt_forged", forged)).get();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> reader.runtime().views().refused() > before);
    assertThat(reader.runtime().views().model().principal("agt_forged")).isEmpty();
    assertThat(reader.runtime().views().model().principalCount()).isEqualTo(principals);
  }

  /** One server-sent event. */
  record Event(String id, String name, JsonNode data) {}

  /** Reads events from {@code /v1/stream} until {@code enough} or the timeout, then hangs up. */
  private static List<Event> stream(LedgerNode n, String query, String lastEventId, int enough)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(n.url() + "/v1/stream" + query))
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<Event> events = new ArrayList<>();
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try (var lines =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.isEmpty()) {
                    if (data.length() > 0) {
                      synchronized (events) {
                        events.add(new Event(id, name, JSON.readTree(data.toString())));
                        if (events.size() >= enough) {
                          return;
                        }
                      }
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                  } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                  } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                  } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                  }
                }
              } catch (java.io.IOException e) {
                // hung up
              }
            });
    try {
      reading.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // quiet: what came is all there is
    }
    response.body().close();
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  @Test
  void aStreamClientThatResumesWithLastEventIdMissesNothingAndSeesNothingTwice() throws Exception {
    Ed25519PrivateKey acme = Fixtures.key("views-stream-acme");
    node.publish(
        Events.registerSponsor(acme.publicKey(), "Stream Acme", "ops@acme.example")
            .issuedAt(System.currentTimeMillis())
            .sign(Signer.admin(LedgerDriver.ADMIN), acme));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(node, "/v1/sponsors/" + Signer.sponsor(acme).id()).statusCode() == 200);
    List<SignedEvent> agents = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      agents.add(agent(acme, "stream-" + i));
    }
    for (SignedEvent e : agents.subList(0, 3)) {
      node.publish(e);
    }
    String sponsorFilter = "?sponsor=" + Signer.sponsor(acme).id() + "&from=beginning";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(node, "/v1/agents/" + agents.get(2).getSubjectId()).statusCode() == 200);
    List<Event> first = stream(node, sponsorFilter, null, 3);
    assertThat(first).hasSize(3);
    String last = first.get(2).id();

    // While the client is away: more agents, a revocation and a suspension of the sponsor.
    for (SignedEvent e : agents.subList(3, 6)) {
      node.publish(e);
    }
    // Inputs on different partitions are decided in any order: register first, then suspend.
    for (SignedEvent e : agents.subList(3, 6)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(node, "/v1/agents/" + e.getSubjectId()).statusCode() == 200);
    }
    node.publish(
        Events.revoke(agents.get(0).getSubjectId(), "stream test")
            .issuedAt(System.currentTimeMillis())
            .sign(Signer.sponsor(acme)));
    node.publish(
        Events.suspendSponsor(Signer.sponsor(acme).id(), "stream test")
            .issuedAt(System.currentTimeMillis())
            .sign(Signer.admin(LedgerDriver.ADMIN)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                JSON.readTree(get(node, "/v1/agents/" + agents.get(5).getSubjectId()).body())
                    .path("status")
                    .asText()
                    .equals("suspended"));

    List<Event> whole = stream(node, sponsorFilter, null, Integer.MAX_VALUE);
    List<Event> rest = stream(node, sponsorFilter, last, Integer.MAX_VALUE);
    List<String> resumed = new ArrayList<>();
    first.forEach(e -> resumed.add(e.id()));
    rest.forEach(e -> resumed.add(e.id()));
    assertThat(resumed).as("no event twice").doesNotHaveDuplicates();
    assertThat(resumed)
        .as("the first three, then everything after them")
        .containsExactlyElementsOf(whole.stream().map(Event::id).toList());

    Set<String> revoked = new HashSet<>();
    for (Event e : rest) {
      if (e.name().equals("status") && e.data().path("status").asText().equals("revoked")) {
        revoked.add(e.data().path("id").asText());
      }
    }
    assertThat(revoked).contains(agents.get(0).getSubjectId());
    assertThat(rest)
        .as("the sponsor's suspension reaches each of its agents")
        .anySatisfy(
            e -> {
              assertThat(e.data().path("id").asText()).isEqualTo(agents.get(5).getSubjectId());
              assertThat(e.data().path("status").asText()).isEqualTo("suspended");
              assertThat(e.data().path("status_cause").asText())
                  .isEqualTo(Signer.sponsor(acme).id());
            });
  }
}
