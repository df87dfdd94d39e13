package dev.trustledger.cli;

import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.node.kafka.EmbeddedKafka;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on the embedded default: a real single-node KRaft broker from Maven artifacts, the
 * topics, the ledger's keys on first run, and the node; Ctrl-C stops everything.
 */
@Command(
    name = "dev",
    description = "Run a complete ledger on this machine: embedded Kafka broker, node, API.",
    mixinStandardHelpOptions = true)
final class DevCommand implements Callable<Integer> {
  static final String LEDGER_NAME = "trustledger.dev";
  static final String WITNESS_NAME = "witness.trustledger.dev";

  /**
   * The format of a data directory: a log written by an earlier contract (before the identity
   * lifecycle, 2026-12-05) does not verify with this version, so such a directory is refused.
   */
  static final String DATA_FORMAT = "trustledger-dev/2";

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "Kafka port (the controller uses the next one). Default: ${DEFAULT-VALUE}")
  int kafkaPort;

  @Option(
      names = "--witness-port",
      defaultValue = "-1",
      description = "Port of the ledger's own witness. Default: the HTTP port + 1.")
  int witnessPort;

  @Option(
      names = "--data-dir",
      defaultValue = ".ledger",
      description = "Broker data, state and keys; survives restarts. Default: ${DEFAULT-VALUE}")
  Path dataDir;

  @Option(
      names = "--demo",
      description = "Also publish a sponsor, agents, sub-agents, reports and a revocation.")
  boolean demo;

  @Option(
      names = "--reset",
      description =
          "Start over: delete the broker's data, the node's state, the witness's state and the"
              + " demo's keys in --data-dir (the admin, ledger and witness keys stay).")
  boolean reset;

  @Option(
      names = "--exit-after-start",
      hidden = true,
      description = "Stop once started (and the demo published): for tests.")
  boolean exitAfterStart;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path keys = dataDir.resolve("keys");
    if (reset) {
      for (String part : List.of("kafka", "state", "witness", "keys/demo", "FORMAT")) {
        deleteTree(dataDir.resolve(part));
      }
      out.println("reset " + dataDir.toAbsolutePath() + " (keys kept)");
    }
    checkFormat();
    Ed25519PrivateKey admin = keyPair(keys.resolve("admin.key"), KeyKind.ADMIN, out);
    Ed25519PrivateKey ledger = keyPair(keys.resolve("ledger.key"), KeyKind.LEDGER, out);
    Ed25519PrivateKey witnessKey = keyPair(keys.resolve("witness.key"), KeyKind.WITNESS, out);
    NoteKey ledgerNote = new NoteKey(LEDGER_NAME, ledger.publicKey());
    CosignerKey cosigner = new CosignerKey(WITNESS_NAME, witnessKey.publicKey());
    int wport = witnessPort < 0 ? port + 1 : witnessPort;
    Javalin witness =
        LogCommands.WitnessCommand.start(
            cosigner,
            witnessKey,
            Map.of(LEDGER_NAME, ledgerNote),
            dataDir.resolve("witness"),
            "127.0.0.1",
            wport);

    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), "127.0.0.1", kafkaPort, kafkaPort + 1);
    } catch (IllegalStateException e) {
      witness.stop();
      throw new CliException(ExitCodes.ENVIRONMENT, e.getMessage());
    } catch (NoClassDefFoundError e) {
      witness.stop();
      throw BrokerCommand.missingBroker(e);
    }
    Map<String, Object> values = new HashMap<>();
    values.put(LedgerConfig.LEDGER_NAME_CONFIG, LEDGER_NAME);
    values.put(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    values.put(LedgerConfig.APPLICATION_ID_CONFIG, "trustledger-dev");
    values.put(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, Base64Url.encode(admin.publicKey().raw()));
    values.put(LedgerConfig.LEDGER_KEY_FILE_CONFIG, keys.resolve("ledger.key").toString());
    values.put(LedgerConfig.STATE_DIR_CONFIG, dataDir.resolve("state").toAbsolutePath().toString());
    values.put(LedgerConfig.HTTP_PORT_CONFIG, port);
    values.put(LedgerConfig.WITNESS_KEYS_CONFIG, cosigner.verifierKey());
    values.put(LedgerConfig.WITNESS_URLS_CONFIG, "http://127.0.0.1:" + witness.port());
    LedgerConfig config = ConfigLoader.load(null, Map.of(), values);
    LedgerNode node;
    try {
      node = LedgerNode.start(config, ledger);
    } catch (IllegalStateException e) {
      kafka.close();
      witness.stop();
      throw new CliException(ExitCodes.ENVIRONMENT, e.getMessage());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              node.close();
              kafka.close();
              witness.stop();
              stop.countDown();
            },
            "ledger-dev-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (!awaitReady(node, out)) {
        out.println("the node did not become ready within 120 s; see the log");
      }
    } catch (IllegalStateException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      hook.run();
      throw new CliException(ExitCodes.ENVIRONMENT, e.getMessage());
    }
    out.println();
    out.println("Trust Ledger is running (ledger name " + LEDGER_NAME + ")");
    out.println("  API       " + node.url() + "/v1/agents/{id}");
    out.println("  explorer  " + node.url() + "/");
    out.println("  OpenAPI   " + node.url() + "/openapi.yaml");
    out.println("  metrics   " + node.url() + "/metrics");
    out.println("  Kafka     " + kafka.bootstrapServers());
    out.println("  ledger    " + ledgerNote.verifierKey());
    out.println("  witness   http://127.0.0.1:" + witness.port() + " " + cosigner.verifierKey());
    out.println(
        "  admin     " + Signer.admin(admin).id() + " (key " + keys.resolve("admin.key") + ")");
    out.println("  data      " + dataDir.toAbsolutePath());
    writeCliConfig(node.url(), kafka.bootstrapServers(), out);
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("LEDGER_URL", node.url());
    env.put("LEDGER_BOOTSTRAP", kafka.bootstrapServers());
    if (demo) {
      env.putAll(Demo.run(node, admin, keys.resolve("demo"), out));
    }
    writeEnv(env, out);
    out.println("Ctrl-C stops everything.");
    out.flush();
    if (exitAfterStart) {
      Runtime.getRuntime().removeShutdownHook(hook);
      hook.run();
      return ExitCodes.OK;
    }
    stop.await();
    return ExitCodes.OK;
  }

  /** Waits until the node answers reads, saying what it waits for whenever that changes. */
  private static boolean awaitReady(LedgerNode node, PrintWriter out) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String said = null;
    while (System.nanoTime() < deadline) {
      if (node.awaitReady(Duration.ofMillis(500))) {
        return true;
      }
      String waiting = node.waitingFor().orElse(null);
      if (waiting != null && !waiting.equals(said)) {
        out.println("waiting: " + waiting);
        out.flush();
        said = waiting;
      }
    }
    return false;
  }

  /**
   * Writes {@code cli.properties} into the data directory: the CLI run from the folder that holds
   * {@code .ledger} then finds this node, its broker and its ledger key without options.
   */
  private void writeCliConfig(String url, String bootstrap, PrintWriter out) throws IOException {
    Path file = dataDir.resolve(CliConfig.FILE);
    Files.writeString(
        file,
        "# Written by 'ledger dev': where the ledger command finds this ledger.\n"
            + CliConfig.URL
            + "="
            + url
            + "\n"
            + CliConfig.BOOTSTRAP
            + "="
            + bootstrap
            + "\n"
            + CliConfig.LEDGER_KEY
            + "=keys/ledger.key.pub\n");
    out.println("  CLI       " + file + " (url, bootstrap and ledger key for every command)");
  }

  /**
   * Writes {@code env} into the data directory, for a second terminal: {@code source .ledger/env}
   * sets the node's URL, its broker and the demo's ids, so that the README's commands run as
   * printed whatever the ports.
   */
  private void writeEnv(Map<String, String> env, PrintWriter out) throws IOException {
    StringBuilder text =
        new StringBuilder("# Written by 'ledger dev': source it in another shell.\n");
    env.forEach((k, v) -> text.append("export ").append(k).append('=').append(v).append('\n'));
    Path file = dataDir.resolve("env");
    Files.writeString(file, text);
    out.println("In another terminal: source " + file);
  }

  /** Refuses a data directory an earlier version wrote; marks a new one with this format. */
  private void checkFormat() throws IOException {
    Path format = dataDir.resolve("FORMAT");
    if (Files.exists(format)) {
      String found = Files.readString(format).trim();
      if (!found.equals(DATA_FORMAT)) {
        throw new CliException(
            ExitCodes.ENVIRONMENT,
            dataDir
                + " holds a ledger of format "
                + found
                + ", this version writes "
                + DATA_FORMAT
                + ": start over with --reset, or use another --data-dir");
      }
      return;
    }
    if (Files.exists(dataDir.resolve("kafka"))) {
      throw new CliException(
          ExitCodes.ENVIRONMENT,
          dataDir
              + " holds a ledger written by an earlier version, whose log this version cannot"
              + " verify: start over with --reset, or use another --data-dir");
    }
    Files.createDirectories(dataDir);
    Files.writeString(format, DATA_FORMAT + "\n");
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Reads a key, creating it (mode 0600, with a .pub beside it) on first run. */
  static Ed25519PrivateKey keyPair(Path file, KeyKind kind, PrintWriter out) {
    try {
      if (Files.exists(file)) {
        return KeyFiles.readPrivateKey(file);
      }
      Ed25519PrivateKey key = Ed25519PrivateKey.generate();
      KeyFiles.writePrivateKey(file, key, kind.labels(key));
      KeyFiles.writePublicKey(Path.of(file + ".pub"), key.publicKey());
      out.println("created " + file);
      return key;
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ENVIRONMENT, "cannot use key file " + file + ": " + e.getMessage());
    }
  }
}
