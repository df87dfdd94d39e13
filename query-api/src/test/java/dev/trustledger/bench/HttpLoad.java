package dev.trustledger.bench;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Events;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testkit.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * HTTP load on a node holding N agents (in-JVM broker, node and this generator on one machine):
 * requests/s and latency of GET /v1/agents/{id} and POST /v1/verify, beside a trivial endpoint of
 * the same server (/healthz) measured in the same run; then p50/p99 at 70% of each peak.
 *
 * <pre>
 * ./mvnw -pl query-api -am -Phttp-load test-compile exec:exec -Dload.agents=100000
 * </pre>
 */
public final class HttpLoad {
  private static final int CLIENTS = Integer.getInteger("load.clients", 8);
  private static final int SECONDS = Integer.getInteger("load.seconds", 15);

  private HttpLoad() {}

  record Result(double rps, double p50Ms, double p99Ms, long errors) {}

  public static void main(String[] args) throws Exception {
    int agents = Integer.getInteger("load.agents", 100_000);
    Random random = new Random(5);
    int sponsorCount = Math.max(1, agents / 1000);
    Ed25519PrivateKey[] sponsors = new Ed25519PrivateKey[sponsorCount];
    for (int i = 0; i < sponsorCount; i++) {
      sponsors[i] = BenchNodes.key(random);
    }
    Ed25519PrivateKey[] keys = new Ed25519PrivateKey[agents];
    for (int i = 0; i < agents; i++) {
      keys[i] = BenchNodes.key(random);
    }
    long now = System.currentTimeMillis();
    SingleObjectFormat<SignedEvent> format = SingleObjectFormat.of(SignedEvent.getClassSchema());
    List<SignedEvent> sponsorEvents =
        IntStream.range(0, sponsorCount)
            .parallel()
            .mapToObj(
                i ->
                    Events.registerSponsor(sponsors[i].publicKey(), "s" + i, "ops@example.org")
                        .issuedAt(now)
                        .sign(Signer.admin(LedgerDriver.ADMIN), sponsors[i]))
            .toList();
    List<SignedEvent> agentEvents =
        IntStream.range(0, agents)
            .parallel()
            .mapToObj(
                i ->
                    Events.registerAgent(
                            keys[i].publicKey(), Signer.sponsor(sponsors[i % sponsorCount]).id())
                        .name("a" + i)
                        .draft()
                        .issuedAt(now)
                        .sign(Signer.sponsor(sponsors[i % sponsorCount]), keys[i]))
            .toList();
    String[] ids = agentEvents.stream().map(SignedEvent::getSubjectId).toArray(String[]::new);
    String[] verifyBodies = new String[Math.min(agents, 10_000)];
    for (int i = 0; i < verifyBodies.length; i++) {
      byte[] message = ("GET /resource/" + i).getBytes();
      verifyBodies[i] =
          "{\"agent_id\":\""
              + ids[i]
              + "\",\"message\":\""
              + Base64Url.encode(message)
              + "\",\"signature\":\""
              + Base64Url.encode(Messages.sign(keys[i], message))
              + "\",\"min_trust\":0}";
    }

    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      Map<String, Object> values =
          LedgerSetup.config(
              cluster.bootstrapServers(), Files.createTempDirectory("http-load"), "http-load");
      values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
      try (LedgerNode node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
          OutputCounter outputs = new OutputCounter(cluster.bootstrapServers());
          KafkaProducer<String, byte[]> producer =
              new KafkaProducer<>(
                  LedgerPublisher.producerConfig(cluster.bootstrapServers(), Map.of()))) {
        node.awaitReady(Duration.ofSeconds(60));
        for (List<SignedEvent> phase : List.of(sponsorEvents, agentEvents)) {
          long before = outputs.outcomes();
          for (SignedEvent e : phase) {
            producer.send(
                new ProducerRecord<>(
                    LedgerPublisher.EVENTS_TOPIC,
                    e.getSubjectId(),
                    format.encode(LedgerPublisher.EVENTS_TOPIC, e)));
          }
          producer.flush();
          while (outputs.outcomes() < before + phase.size()) {
            Thread.sleep(100);
          }
        }
        System.out.printf("node holds %d agents (%d rejections)%n", agents, outputs.rejections());
        String base = node.url();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        IntFunction<HttpRequest> trivial =
            i -> HttpRequest.newBuilder(URI.create(base + "/healthz")).build();
        IntFunction<HttpRequest> agent =
            i ->
                HttpRequest.newBuilder(URI.create(base + "/v1/agents/" + ids[i % ids.length]))
                    .build();
        IntFunction<HttpRequest> verify =
            i ->
                HttpRequest.newBuilder(URI.create(base + "/v1/verify"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(verifyBodies[i % verifyBodies.length]))
                    .build();
        // Inclusion proofs of random entries in the latest checkpoint (once one covers them all).
        long size = 0;
        while (size < agents) {
          Thread.sleep(500);
          HttpResponse<String> cp =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/v1/ledger")).build(),
                  HttpResponse.BodyHandlers.ofString());
          var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cp.body());
          size = tree.path("checkpoint_size").asLong(0);
        }
        long treeSize = size;
        IntFunction<HttpRequest> inclusion =
            i ->
                HttpRequest.newBuilder(
                        URI.create(base + "/v1/log/inclusion?ledger_seq=" + (i % treeSize)))
                    .build();
        closedLoop(http, trivial, 5);
        closedLoop(http, agent, 5);
        closedLoop(http, verify, 5);
        closedLoop(http, inclusion, 5);
        Result t = closedLoop(http, trivial, SECONDS);
        Result a = closedLoop(http, agent, SECONDS);
        Result v = closedLoop(http, verify, SECONDS);
        Result p = closedLoop(http, inclusion, SECONDS);
        // The trivial endpoint again, last: background work right after loading (compactions)
        // would otherwise make the ceiling look lower than it is. The higher of the two counts.
        Result t2 = closedLoop(http, trivial, SECONDS);
        print("peak, trivial GET /healthz (first)", t);
        print("peak, trivial GET /healthz (last)", t2);
        if (t2.rps > t.rps) {
          t = t2;
        }
        print("peak, GET /v1/agents/{id}", a);
        print("peak, POST /v1/verify", v);
        print("peak, GET /v1/log/inclusion", p);
        System.out.printf(
            "agent lookup / trivial: %.0f%%, verify / trivial: %.0f%%, inclusion proof / trivial:"
                + " %.0f%%, inclusion proof / agent lookup: %.0f%% (tree of %d entries)%n",
            100 * a.rps / t.rps,
            100 * v.rps / t.rps,
            100 * p.rps / t.rps,
            100 * p.rps / a.rps,
            treeSize);
        print("70% of peak, GET /v1/agents/{id}", openLoop(http, agent, 0.7 * a.rps, SECONDS));
        print("70% of peak, POST /v1/verify", openLoop(http, verify, 0.7 * v.rps, SECONDS));
      }
    }
  }

  private static void print(String what, Result r) {
    System.out.printf(
        "%-36s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d%n",
        what, r.rps, r.p50Ms, r.p99Ms, r.errors);
  }

  /** CLIENTS threads sending back to back for {@code seconds}. */
  static Result closedLoop(HttpClient http, IntFunction<HttpRequest> request, int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> latencies = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < CLIENTS; c++) {
      long[] lat = new long[4_000_000];
      latencies.add(lat);
      Thread t =
          new Thread(
              () -> {
                int n = 0;
                while (System.nanoTime() < end && n < lat.length - 1) {
                  long s = System.nanoTime();
                  if (!send(http, request.apply(ThreadLocalRandom.current().nextInt(1 << 30)))) {
                    errors.incrementAndGet();
                  }
                  lat[++n] = System.nanoTime() - s;
                }
                lat[0] = n;
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return summarize(latencies, (System.nanoTime() - start) / 1e9, errors.get());
  }

  /**
   * Requests at a fixed rate; latency counted from when each request was due (no coordinated
   * omission).
   */
  static Result openLoop(
      HttpClient http, IntFunction<HttpRequest> request, double rate, int seconds)
      throws InterruptedException {
    long interval = (long) (1e9 * CLIENTS / rate);
    List<long[]> latencies = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    for (int c = 0; c < CLIENTS; c++) {
      long[] lat = new long[(int) (seconds * rate / CLIENTS) + 10];
      latencies.add(lat);
      long offset = c * interval / CLIENTS;
      Thread t =
          new Thread(
              () -> {
                int n = 0;
                long due = start + offset;
                while (due < end && n < lat.length - 1) {
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  }
                  if (!send(http, request.apply(ThreadLocalRandom.current().nextInt(1 << 30)))) {
                    errors.incrementAndGet();
                  }
                  lat[++n] = System.nanoTime() - due;
                  due += interval;
                }
                lat[0] = n;
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return summarize(latencies, (System.nanoTime() - start) / 1e9, errors.get());
  }

  private static boolean send(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static Result summarize(List<long[]> latencies, double seconds, long errors) {
    int total = latencies.stream().mapToInt(l -> (int) l[0]).sum();
    long[] all = new long[total];
    int k = 0;
    for (long[] l : latencies) {
      System.arraycopy(l, 1, all, k, (int) l[0]);
      k += (int) l[0];
    }
    Arrays.sort(all);
    return new Result(
        total / seconds, all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6, errors);
  }
}
