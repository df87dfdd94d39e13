package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.cli.LedgerCli;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.testutil.Fixtures;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two full nodes in JVMs of their own. While a client reads from one, the other, which holds the
 * sequencer, is killed with SIGKILL and restarted: no read fails, and decisions resume.
 */
class FailoverIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KafkaCluster cluster;
  private static Path dir;
  private static final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    dir = Files.createTempDirectory("failover");
    KeyFiles.writePrivateKey(dir.resolve("ledger.key"), LedgerDriver.LEDGER_KEY);
  }

  @AfterAll
  static void stop() {
    processes.forEach(Process::destroyForcibly);
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Path properties(String name, int port) throws Exception {
    Map<String, Object> values =
        LedgerSetup.config(cluster.bootstrapServers(), dir.resolve("state-" + name), "failover");
    values.put(LedgerConfig.LEDGER_KEY_FILE_CONFIG, dir.resolve("ledger.key").toString());
    values.put(LedgerConfig.HTTP_HOST_CONFIG, "127.0.0.1");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, port);
    values.put(LedgerConfig.STREAM_THREADS_CONFIG, 1);
    values.put(LedgerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
    Properties props = new Properties();
    values.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    Path file = dir.resolve(name + ".properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      props.store(out, "failover test node " + name);
    }
    return file;
  }

  private static Process node(String name, Path properties) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                LedgerCli.class.getName(),
                "node",
                "--config",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
            .start();
    processes.add(p);
    return p;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ready(String base) {
    try {
      HttpResponse<String> r = get(base + "/readyz");
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean accepted(String base, SignedEvent e) {
    try {
      HttpResponse<String> r = get(base + "/v1/events/" + e.getSubjectId() + "/" + e.getEventId());
      return r.statusCode() == 200
          && JSON.readTree(r.body()).path("status").asText().equals("accepted");
    } catch (Exception ex) {
      return false;
    }
  }

  @Test
  void readsNeverFailOnTheOtherNodeWhileTheSequencersNodeIsKilledAndRestarted() throws Exception {
    int[] ports = {freePort(), freePort()};
    String[] urls = {"http://127.0.0.1:" + ports[0], "http://127.0.0.1:" + ports[1]};
    Path[] configs = {properties("a", ports[0]), properties("b", ports[1])};
    Process[] nodes = {node("a", configs[0]), null};
    await().atMost(Duration.ofSeconds(120)).until(() -> ready(urls[0]) != null);
    nodes[1] = node("b", configs[1]);
    await().atMost(Duration.ofSeconds(120)).until(() -> ready(urls[1]) != null);

    long now = System.currentTimeMillis();
    Ed25519PrivateKey sponsor = Fixtures.key("failover-acme");
    String sponsorId = Signer.sponsor(sponsor).id();
    List<String> agents = new ArrayList<>();
    try (LedgerPublisher publisher =
        LedgerPublisher.create(
            cluster.bootstrapServers(), SingleObjectFormat.of(SignedEvent.getClassSchema()))) {
      SignedEvent registered =
          Events.registerSponsor(sponsor.publicKey(), "Acme", "ops@acme.example")
              .issuedAt(now)
              .sign(Signer.admin(LedgerDriver.ADMIN), sponsor);
      publisher.publish(registered).get();
      await().atMost(Duration.ofSeconds(60)).until(() -> accepted(urls[1], registered));
      for (int i = 0; i < 20; i++) {
        Ed25519PrivateKey key = Fixtures.key("failover-agent-" + i);
        SignedEvent e =
            Events.registerAgent(key.publicKey(), sponsorId)
                .name("agent-" + i)
                .draft()
                .issuedAt(now)
                .sign(Signer.sponsor(sponsor), key);
        publisher.publish(e).get();
        agents.add(e.getSubjectId());
      }
      for (String base : urls) {
        for (String agent : agents) {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> get(base + "/v1/agents/" + agent).statusCode() == 200);
        }
      }

      // The node that holds the sequencer is the one killed; the client reads from the other.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ready(urls[1]) != null && !ready(urls[1]).path("sequencer").isNull());
      String sequencer = ready(urls[1]).path("sequencer").asText();
      int victim = sequencer.equals(urls[0]) ? 0 : 1;
      int reader = 1 - victim;
      System.out.printf("sequencer on node %s; reading from %s%n", urls[victim], urls[reader]);

      AtomicBoolean reading = new AtomicBoolean(true);
      AtomicLong reads = new AtomicLong();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread client =
          new Thread(
              () -> {
                int i = 0;
                while (reading.get()) {
                  String agent = agents.get(i++ % agents.size());
                  try {
                    HttpResponse<String> r = get(urls[reader] + "/v1/agents/" + agent);
                    if (r.statusCode() != 200) {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                  reads.incrementAndGet();
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "steady-reader");
      client.start();
      Thread.sleep(1000);

      long killedAt = System.nanoTime();
      nodes[victim].destroyForcibly();
      assertThat(nodes[victim].waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Writes published after the kill: the first accepted one marks when decisions resumed.
      AtomicReference<SignedEvent> after = new AtomicReference<>();
      Ed25519PrivateKey late = Fixtures.key("failover-late");
      SignedEvent lateEvent =
          Events.registerAgent(late.publicKey(), sponsorId)
              .name("late")
              .draft()
              .issuedAt(System.currentTimeMillis())
              .sign(Signer.sponsor(sponsor), late);
      publisher.publish(lateEvent).get();
      after.set(lateEvent);
      Thread.sleep(2000);
      nodes[victim] = node(victim == 0 ? "a" : "b", configs[victim]);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> accepted(urls[reader], after.get()));
      double resumedS = (System.nanoTime() - killedAt) / 1e9;
      await().atMost(Duration.ofSeconds(120)).until(() -> ready(urls[victim]) != null);
      double restartedS = (System.nanoTime() - killedAt) / 1e9;
      Thread.sleep(1000);
      reading.set(false);
      client.join(10_000);

      System.out.printf(
          "failover: decisions resumed %.1f s after SIGKILL (restarted 2 s after it); the"
              + " killed node answered reads again %.1f s after it; %d reads on the other node"
              + " during the failover, %d failed%n",
          resumedS, restartedS, reads.get(), failures.size());
      assertThat(failures).as("failed reads on the other node").isEmpty();
      assertThat(reads.get()).isGreaterThan(100);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(urls[victim] + "/v1/agents/" + lateEvent.getSubjectId()).statusCode() == 200);
    }
  }
}
