package dev.trustledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.RecordCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger as operators run it: {@code deploy/local-cluster} starts three Kafka brokers
 * (replication 3, min.insync.replicas 2) and three ledger nodes from the distribution, each a
 * process of its own. A publisher sends valid and invalid events at a steady rate while (a) a
 * broker is killed with SIGKILL and restarted, (b) the node holding the sequencer is killed and
 * restarted, (c) every node is restarted in turn. Afterwards every input has exactly one outcome,
 * no acceptance is duplicated, every agent reads the same on every node, and the distribution's
 * {@code ledger audit} verifies the log. The figures it prints go to docs/benchmarks.md.
 */
class ClusterIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BASE = 33000;
  private static final int RATE_PER_SECOND = 150;
  private static final Path SCRIPT = Path.of("..", "deploy", "local-cluster").toAbsolutePath();
  private static final Path DIR = Path.of("target", "cluster-it").toAbsolutePath();

  private static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster("clean");
    long t0 = System.nanoTime();
    cluster("start");
    report.add(String.format(Locale.ROOT, "cluster start: %.1f s", seconds(t0)));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster("stop");
    report.forEach(line -> System.out.println("cluster-it: " + line));
  }

  @Test
  void everyInputHasOneOutcomeThroughBrokerAndNodeFaults() throws Exception {
    String bootstrap =
        "127.0.0.1:" + (BASE + 91) + ",127.0.0.1:" + (BASE + 92) + ",127.0.0.1:" + (BASE + 93);
    Ed25519PrivateKey admin = KeyFiles.readPrivateKey(DIR.resolve("keys/admin.key"));
    Workload workload = new Workload(12, System.currentTimeMillis(), admin);
    try (OutputCounter outputs = new OutputCounter(bootstrap);
        RecordCounter records = new RecordCounter(bootstrap);
        Publisher publisher = new Publisher(bootstrap)) {
      // Inputs on different partitions are decided in any order: the sponsors first.
      publisher.sendAll(workload.sponsors(5));
      awaitOutcomes(outputs, publisher.sent(), Duration.ofSeconds(120));
      publisher.sendAll(workload.agents(4));
      awaitOutcomes(outputs, publisher.sent(), Duration.ofSeconds(120));
      List<String> agents = workload.agents().stream().map(k -> Signer.agent(k).id()).toList();
      // Registrations decided: the agents exist before the reports about them.
      for (String agent : agents) {
        awaitAgent(1, agent);
      }
      Map<String, Long> recordsBefore = records.snapshot();
      long acceptedBefore = outputs.inputEntries();
      Sampler sampler = new Sampler(outputs, publisher);
      publisher.startSteady(workload, RATE_PER_SECOND);
      // Warm up (the JIT of seven JVMs on this machine) and catch up before the baseline.
      Thread.sleep(10_000);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> outputs.outcomes() >= publisher.sent() - RATE_PER_SECOND / 2);

      sampler.phase("baseline", () -> Thread.sleep(8_000));

      sampler.phase(
          "(a) broker-2 killed, restarted after 5 s",
          () -> {
            cluster("kill", "broker-2");
            Thread.sleep(5_000);
            cluster("start", "broker-2");
            Thread.sleep(5_000);
          });

      int sequencer = sequencerNode();
      sampler.phase(
          "(b) node-" + sequencer + " (the sequencer's) killed, restarted after 2 s",
          () -> {
            cluster("kill", "node-" + sequencer);
            Thread.sleep(2_000);
            cluster("start", "node-" + sequencer);
            Thread.sleep(3_000);
          });

      sampler.phase(
          "(c) rolling restart of node-1, node-2, node-3",
          () -> {
            for (int i = 1; i <= 3; i++) {
              cluster("restart", "node-" + i);
            }
            Thread.sleep(3_000);
          });

      publisher.stopSteady();
      long published = publisher.sent();
      assertThat(publisher.failures()).as("sends that failed").isZero();
      report.addAll(sampler.lines());
      awaitOutcomes(outputs, published, Duration.ofSeconds(240));
      Thread.sleep(2_000);
      assertThat(outputs.outcomes()).as("one outcome per input").isEqualTo(published);
      assertThat(outputs.duplicateAcceptances()).as("acceptances decided twice").isEmpty();
      assertThat(outputs.inputEntries()).as("accepted").isEqualTo(publisher.valid());
      assertThat(outputs.rejections()).as("rejected").isEqualTo(publisher.invalid());

      Map<String, Long> delta = RecordCounter.delta(recordsBefore, records.snapshot());
      long accepted = outputs.inputEntries() - acceptedBefore;
      report.add(
          String.format(
              Locale.ROOT,
              "published %d inputs (%d invalid); %d accepted during the faults",
              published,
              publisher.invalid(),
              accepted));
      report.add("records written per accepted event, by topic (offsets, markers included):");
      report.addAll(RecordCounter.perEvent(delta, accepted, LedgerPublisher.EVENTS_TOPIC));

      // Every agent, read on every node, the same.
      for (String agent : agents) {
        String first = null;
        for (int node = 1; node <= 3; node++) {
          JsonNode state = awaitAgent(node, agent);
          String seen = state.path("status").asText() + "/" + state.path("ledger_seq").asText();
          if (first == null) {
            first = seen;
          }
          assertThat(seen).as(agent + " on node-" + node).isEqualTo(first);
        }
      }

      // The auditor of the distribution verifies the whole log from the topics.
      Process audit =
          new ProcessBuilder(
                  DIR.resolve("dist/bin/ledger").toString(),
                  "audit",
                  "--bootstrap",
                  bootstrap,
                  "--ledger-key",
                  DIR.resolve("keys/ledger.key.pub").toString())
              .redirectErrorStream(true)
              .start();
      String auditOut = new String(audit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(audit.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(audit.exitValue()).as(auditOut).isZero();
      assertThat(auditOut).contains("OK");
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void awaitOutcomes(OutputCounter outputs, long expected, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> outputs.outcomes() >= expected);
  }

  private static JsonNode awaitAgent(int node, String agent) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> r =
                  HTTP.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:" + (BASE + 80 + node) + "/v1/agents/" + agent))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                return false;
              }
              found.set(JSON.readTree(r.body()));
              return true;
            });
    return found.get();
  }

  /** The node whose /readyz names itself as the sequencer's. */
  private static int sequencerNode() throws Exception {
    String url =
        JSON.readTree(
                HTTP.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + (BASE + 81) + "/readyz"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("sequencer")
            .asText();
    for (int node = 1; node <= 3; node++) {
      if (url.endsWith(":" + (BASE + 80 + node))) {
        return node;
      }
    }
    throw new IllegalStateException("no node holds the sequencer: " + url);
  }

  /** Runs deploy/local-cluster with this test's directory and ports; fails on a non-zero exit. */
  private static void cluster(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("LOCAL_CLUSTER_DIR", DIR.toString());
    pb.environment().put("LOCAL_CLUSTER_BASE", Integer.toString(BASE));
    pb.environment().remove("TRUSTLEDGER_HOME");
    pb.environment()
        .put(
            "LOCAL_CLUSTER_OPTS",
            "checkpoint.interval.ms=1000\ntopics.events.partitions=3\ntopics.entries.partitions=3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("local-cluster " + String.join(" ", args) + " hung");
    }
    System.out.print(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "local-cluster " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + out);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Outcomes over time: the rate in each phase and its longest pause. */
  private static final class Sampler {
    private final OutputCounter outputs;
    private final Publisher publisher;
    private final List<String> lines = new ArrayList<>();

    Sampler(OutputCounter outputs, Publisher publisher) {
      this.outputs = outputs;
      this.publisher = publisher;
    }

    void phase(String name, Step step) throws Exception {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong longestPauseMs = new AtomicLong();
      Thread watcher =
          new Thread(
              () -> {
                long last = outputs.outcomes();
                long lastChange = System.nanoTime();
                while (running.get()) {
                  long now = outputs.outcomes();
                  if (now != last) {
                    last = now;
                    lastChange = System.nanoTime();
                  } else {
                    longestPauseMs.accumulateAndGet(
                        (System.nanoTime() - lastChange) / 1_000_000, Math::max);
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      long start = System.nanoTime();
      long before = outputs.outcomes();
      watcher.start();
      step.run();
      double secs = seconds(start);
      long decided = outputs.outcomes() - before;
      // Recovered: everything published by the end of the fault is decided.
      long backlog = publisher.sent();
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> outputs.outcomes() >= backlog);
      double recovered = seconds(start);
      running.set(false);
      watcher.join();
      lines.add(
          String.format(
              Locale.ROOT,
              "%-50s %5.1f s, %6d decided, %6.1f events/s, longest pause %5.1f s,"
                  + " caught up %5.1f s after it began",
              name,
              secs,
              decided,
              decided / secs,
              longestPauseMs.get() / 1000.0,
              recovered));
    }

    List<String> lines() {
      return lines;
    }
  }

  /**
   * Sends inputs with the publisher library (valid events) and a plain producer (the invalid ones),
   * counting what the brokers acknowledged.
   */
  private static final class Publisher implements AutoCloseable {
    private final LedgerPublisher events;
    private final KafkaProducer<String, byte[]> raw;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private final AtomicBoolean steady = new AtomicBoolean();
    private Thread thread;

    Publisher(String bootstrap) {
      events =
          LedgerPublisher.create(bootstrap, SingleObjectFormat.of(SignedEvent.getClassSchema()));
      raw = new KafkaProducer<>(LedgerPublisher.producerConfig(bootstrap, Map.of()));
    }

    void sendAll(List<Workload.Input> inputs) {
      inputs.forEach(this::send);
      events.flush();
      raw.flush();
    }

    private void send(Workload.Input input) {
      // Workload's invalid inputs: garbage bytes, a zeroed signature, an unknown signer
      // ("unk-"), a self-report ("self-") and an issued_at three days old ("stale-").
      boolean isValid =
          input.raw() == null
              && !isZero(input.event().getSignature().duplicate())
              && !input.event().getEventId().matches("(unk|self|stale)-.*");
      CompletableFuture<Void> done = new CompletableFuture<>();
      LedgerSetup.send(events, raw, input).whenComplete((ok, e) -> settle(done, e, isValid));
      synchronized (pending) {
        pending.add(done);
      }
    }

    private void settle(CompletableFuture<Void> done, Throwable e, boolean isValid) {
      if (e == null) {
        sent.incrementAndGet();
        (isValid ? valid : invalid).incrementAndGet();
      } else {
        failures.incrementAndGet();
      }
      done.complete(null);
    }

    private static boolean isZero(java.nio.ByteBuffer b) {
      while (b.hasRemaining()) {
        if (b.get() != 0) {
          return false;
        }
      }
      return true;
    }

    void startSteady(Workload workload, int perSecond) {
      steady.set(true);
      thread =
          new Thread(
              () -> {
                // 20 inputs a tick, the 20th invalid (one of Workload's five kinds in turn).
                long tick = System.nanoTime();
                long interval = 20 * 1_000_000_000L / perSecond;
                while (steady.get()) {
                  workload.activity(20, 20).forEach(this::send);
                  tick += interval;
                  long wait = tick - System.nanoTime();
                  if (wait > 0) {
                    try {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "steady-publisher");
      thread.start();
    }

    void stopSteady() throws InterruptedException {
      steady.set(false);
      thread.join();
      events.flush();
      raw.flush();
      CompletableFuture<?>[] all;
      synchronized (pending) {
        all = pending.toArray(CompletableFuture[]::new);
      }
      CompletableFuture.allOf(all).join();
    }

    long sent() {
      CompletableFuture<?>[] all;
      synchronized (pending) {
        all = pending.toArray(CompletableFuture[]::new);
      }
      CompletableFuture.allOf(all).join();
      return sent.get();
    }

    long failures() {
      return failures.get();
    }

    long valid() {
      return valid.get();
    }

    long invalid() {
      return invalid.get();
    }

    @Override
    public void close() {
      events.close();
      raw.close();
    }
  }
}
