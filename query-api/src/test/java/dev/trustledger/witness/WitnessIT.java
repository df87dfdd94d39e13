package dev.trustledger.witness;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.api.StepLedger;
import dev.trustledger.api.Witnessing;
import dev.trustledger.avro.Severity;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.cli.LedgerCli;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.testkit.KafkaCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two {@code ledger witness} processes and a real node: they cosign the growing log; a fork of the
 * ledger (its key, other entries) and a rolled-back copy are refused by the witnesses, and the
 * node's witness client says why; a witness keeps what it cosigned across a restart.
 */
class WitnessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = System.currentTimeMillis();
  private static final NoteKey LOG =
      new NoteKey(StepLedger.NAME, LedgerDriver.LEDGER_KEY.publicKey());

  record Started(Process process, int port, CosignerKey key) {}

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Started witness(Path dir, String name, int port) throws Exception {
    Path key = dir.resolve(name + ".key");
    if (!Files.exists(key)) {
      KeyFiles.writePrivateKey(key, Ed25519PrivateKey.generate());
    }
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                LedgerCli.class.getName(),
                "witness",
                "--key",
                key.toString(),
                "--name",
                name,
                "--log-key",
                LOG.verifierKey(),
                "--state-dir",
                dir.resolve(name).toString(),
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String vkey = null;
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      if (line.startsWith("verifier key ")) {
        vkey = line.substring("verifier key ".length());
        break;
      }
    }
    assertThat(vkey).as("witness started: %s", lines).isNotNull();
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {}
              } catch (Exception e) {
                // the process ended
              }
            });
    drain.setDaemon(true);
    drain.start();
    return new Started(p, port, CosignerKey.parse(vkey));
  }

  static JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && r.body().startsWith("{") ? JSON.readTree(r.body()) : null;
  }

  static String text(String base, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void twoWitnessesCosignAGrowingLogAndRefuseAForkAndARollback() throws Exception {
    Path dir = Files.createTempDirectory("witness-it");
    Started w1 = witness(dir, "w1.example", freePort());
    Started w2 = witness(dir, "w2.example", freePort());
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      Map<String, Object> values =
          LedgerSetup.config(
              cluster.bootstrapServers(),
              Files.createTempDirectory("witness-it-node"),
              "witness-it");
      values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
      values.put(
          LedgerConfig.WITNESS_KEYS_CONFIG, w1.key().verifierKey() + "," + w2.key().verifierKey());
      values.put(
          LedgerConfig.WITNESS_URLS_CONFIG,
          "http://127.0.0.1:" + w1.port() + ",http://127.0.0.1:" + w2.port());
      try (LedgerNode node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY)) {
        assertThat(node.awaitReady(Duration.ofSeconds(60))).isTrue();
        String base = node.url();
        node.publish(registerSponsor("acme", NOW));
        node.publish(registerAgent("bot", "acme", NOW));
        long first = awaitCosignedByBoth(base, 3);

        for (int i = 0; i < 20; i++) {
          node.publish(
              Events.report(agentId("bot"), "i" + i, 80, Severity.LOW, "q")
                  .eventId("r" + i)
                  .issuedAt(NOW)
                  .sign(Signer.admin(LedgerDriver.ADMIN)));
        }
        long grown = awaitCosignedByBoth(base, first + 20);
        SignedNote cosigned = SignedNote.parse(text(base, "/checkpoint"));
        assertThat(LOG.verify(cosigned).size()).isEqualTo(grown);
        assertThat(w1.key().verify(cosigned)).isPresent();
        assertThat(w2.key().verify(cosigned)).isPresent();

        // A fork: the ledger's key and name, other entries, more of them than the witnesses saw.
        StepLedger fork = new StepLedger(NOW);
        fork.accept(NOW, registerSponsor("mallory", NOW), registerAgent("shadow", "mallory", NOW));
        for (int i = 0; i < 60; i++) {
          fork.accept(
              NOW,
              Events.report(agentId("shadow"), "f" + i, 99, Severity.LOW, "q")
                  .eventId("f" + i)
                  .issuedAt(NOW)
                  .sign(Signer.admin(LedgerDriver.ADMIN)));
        }
        fork.sign(NOW);
        assertThat(fork.tree().size()).isGreaterThan(grown);
        List<Witnessing.Status> forked = submitOnce(fork, w1, w2);
        assertThat(forked)
            .allSatisfy(
                s -> {
                  assertThat(s.cosignedSize()).isZero();
                  assertThat(s.lastProblem()).contains("inconsistent").contains("fork");
                });

        // A rollback: a copy with fewer entries than the witnesses cosigned.
        StepLedger rolledBack = new StepLedger(NOW);
        rolledBack.sign(NOW);
        List<Witnessing.Status> rolled = submitOnce(rolledBack, w1, w2);
        assertThat(rolled).allSatisfy(s -> assertThat(s.lastProblem()).contains("rolled back"));

        // A witness restarted keeps what it cosigned: it still refuses the fork.
        w1.process().destroy();
        w1.process().waitFor(30, TimeUnit.SECONDS);
        Started again = witness(dir, "w1.example", w1.port());
        try {
          assertThat(submitOnce(fork, again).get(0).lastProblem()).contains("fork");
          String origin =
              dev.trustledger.encoding.Hex.encode(
                  dev.trustledger.crypto.Sha256.hash(
                      StepLedger.NAME.getBytes(StandardCharsets.UTF_8)));
          SignedNote kept =
              SignedNote.parse(
                  text("http://127.0.0.1:" + again.port(), "/" + origin + "/checkpoint"));
          assertThat(LOG.verify(kept).size()).isGreaterThanOrEqualTo(grown);
          assertThat(again.key().verify(kept)).isPresent();
        } finally {
          again.process().destroy();
        }
      }
    } finally {
      w1.process().destroy();
      w2.process().destroy();
    }
  }

  /** The node's view of its witnesses, once both cosigned a checkpoint of at least {@code size}. */
  private static long awaitCosignedByBoth(String base, long size) {
    long[] cosigned = new long[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode w = get(base, "/v1/log/witnesses");
              long a = w.get("witnesses").get(0).get("cosigned_size").asLong();
              long b = w.get("witnesses").get(1).get("cosigned_size").asLong();
              cosigned[0] = Math.min(a, b);
              return a >= size && a == b;
            });
    return cosigned[0];
  }

  /** Submits the latest checkpoint of {@code ledger} once to each witness, as a node would. */
  private static List<Witnessing.Status> submitOnce(StepLedger ledger, Started... witnesses)
      throws Exception {
    List<WitnessClient.Endpoint> endpoints = new ArrayList<>();
    for (Started w : witnesses) {
      endpoints.add(new WitnessClient.Endpoint(w.key(), "http://127.0.0.1:" + w.port()));
    }
    try (WitnessClient client = new WitnessClient(ledger, endpoints, witnesses.length, null)) {
      client.submitAll();
      return client.status();
    }
  }
}
