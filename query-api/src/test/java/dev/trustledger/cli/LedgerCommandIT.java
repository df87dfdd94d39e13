package dev.trustledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.encoding.Hex;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.json.AvroJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ledger dev --demo} in its own JVM (embedded broker, topics, keys, node), then the CLI's
 * publishing, query, verify, audit and export commands against it, as a user would run them.
 */
class LedgerCommandIT {
  private static Path dataDir;
  private static Process dev;
  private static int httpPort;
  private static int kafkaPort;
  private static int witnessPort;
  private static String url;
  private static final List<String> devOutput = new ArrayList<>();

  record Run(int exit, String out, String err) {}

  static Run ledger(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = LedgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Process startDev(boolean demo) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                LedgerCli.class.getName(),
                "dev",
                "--port",
                Integer.toString(httpPort),
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--witness-port",
                Integer.toString(witnessPort),
                "--data-dir",
                dataDir.toString()));
    if (demo) {
      cmd.add("--demo");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (devOutput) {
                    devOutput.add(line);
                  }
                  if (line.startsWith("Ctrl-C stops everything")) {
                    started.complete(null);
                  }
                }
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
              started.completeExceptionally(
                  new IllegalStateException("ledger dev exited:\n" + String.join("\n", devOutput)));
            });
    reader.setDaemon(true);
    reader.start();
    started.get(180, TimeUnit.SECONDS);
    return p;
  }

  @BeforeAll
  static void startDev() throws Exception {
    dataDir = Files.createTempDirectory("ledger-dev");
    httpPort = freePort();
    do {
      kafkaPort = freePort();
    } while (kafkaPort == 65535);
    witnessPort = freePort();
    url = "http://127.0.0.1:" + httpPort;
    dev = startDev(true);
  }

  @AfterAll
  static void stopDev() throws Exception {
    if (dev != null && dev.isAlive()) {
      dev.destroy();
      dev.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static String demoId(String name) {
    Pattern p = Pattern.compile("^\\s+" + Pattern.quote(name) + "\\s+((agt|spn)_[a-z2-7]{32})");
    synchronized (devOutput) {
      for (String line : devOutput) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    throw new AssertionError(
        "no " + name + " in ledger dev's output:\n" + String.join("\n", devOutput));
  }

  static String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /**
   * The ledger as a transparency log, as a gateway and an auditor use it: the dev ledger's own
   * witness cosigns its checkpoints; a receipt fetched with curl verifies offline with the CLI and
   * with an independent Python check (standard library only); proofs, checkpoints and an audit with
   * the receipt's cosigned checkpoint pass.
   */
  @Test
  void receiptsProofsAndCheckpointsVerifyOfflineAndInPython() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode ledgerInfo = json.readTree(get("/v1/ledger"));
    String ledgerKey = ledgerInfo.get("verifier_key").asText();
    String witnessKey = ledgerInfo.get("witnesses").get(0).asText();
    assertThat(ledgerInfo.get("quorum").asInt()).isEqualTo(1);
    String agent = demoId("invoice-agent");

    // The demo's entries are checkpointed within the interval and cosigned by the witness.
    String receipt = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (receipt == null && System.nanoTime() < deadline) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/v1/agents/" + agent + "/receipt"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() == 200) {
        receipt = r.body();
      } else {
        Thread.sleep(500);
      }
    }
    assertThat(receipt).as("a receipt within 60 s").isNotNull();
    Path receiptFile = dataDir.resolve("agent.tlog-proof");
    Files.writeString(receiptFile, receipt);

    Run verified =
        ledger(
            "verify-receipt",
            receiptFile.toString(),
            "--ledger-key",
            ledgerKey,
            "--witness-key",
            witnessKey,
            "--max-age",
            "10m");
    assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out())
        .contains("agent      " + agent)
        .contains("status     active")
        .contains("cosigned by witness.trustledger.dev")
        .contains("may act");
    // Without the witness's cosignature the receipt does not meet a quorum of one.
    String stripped =
        receipt
            .lines()
            .filter(l -> !l.startsWith("\u2014 witness.trustledger.dev "))
            .reduce("", (a, l) -> a + l + "\n");
    Path strippedFile = dataDir.resolve("stripped.tlog-proof");
    Files.writeString(strippedFile, stripped);
    Run noQuorum =
        ledger(
            "verify-receipt",
            strippedFile.toString(),
            "--ledger-key",
            ledgerKey,
            "--witness-key",
            witnessKey);
    assertThat(noQuorum.exit()).isEqualTo(ExitCodes.NO);
    assertThat(noQuorum.out()).contains("quorum is 1");

    Run proof =
        ledger(
            "proof", agent, "--url", url, "--ledger-key", ledgerKey, "--witness-key", witnessKey);
    if (proof.exit() != 0) {
      // The agent's latest entry may be newer than the latest checkpoint; wait for the next.
      Thread.sleep(11_000);
      proof =
          ledger(
              "proof", agent, "--url", url, "--ledger-key", ledgerKey, "--witness-key", witnessKey);
    }
    assertThat(proof.exit()).as(proof.out() + proof.err()).isZero();
    assertThat(proof.out()).contains("entry      " + agent);

    Path saved = dataDir.resolve("saved.checkpoint");
    Run checkpoint =
        ledger(
            "checkpoint",
            "--url",
            url,
            "--ledger-key",
            ledgerKey,
            "--witness-key",
            witnessKey,
            "--save",
            saved.toString());
    assertThat(checkpoint.exit()).as(checkpoint.out()).isZero();
    Run since =
        ledger(
            "checkpoint",
            "--url",
            url,
            "--ledger-key",
            ledgerKey,
            "--since",
            saved.toString(),
            "--quorum",
            "0");
    assertThat(since.exit()).as(since.out()).isZero();
    assertThat(since.out()).contains("consistent with size");

    // An independent implementation from the documents: Python's standard library only.
    Path inclusion = dataDir.resolve("inclusion.json");
    Files.writeString(inclusion, get("/v1/log/inclusion?ledger_seq=1"));
    Path note = dataDir.resolve("checkpoint.txt");
    Files.writeString(note, get("/checkpoint"));
    Process python =
        new ProcessBuilder(
                "python3",
                Path.of("src/test/python/check_log.py").toString(),
                "--ledger-key",
                ledgerKey,
                "--witness-key",
                witnessKey,
                "--checkpoint",
                note.toString(),
                "--inclusion",
                inclusion.toString(),
                "--receipt",
                receiptFile.toString())
            .redirectErrorStream(true)
            .start();
    String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("checkpoint ok")
        .contains("inclusion ok")
        .contains("receipt ok: " + agent);

    // The auditor checks the receipt's cosigned checkpoint against the whole log.
    Run audit =
        ledger(
            "audit",
            "--bootstrap",
            "127.0.0.1:" + kafkaPort,
            "--ledger-key",
            ledgerKey,
            "--checkpoint",
            receiptFile.toString(),
            "--witness-key",
            witnessKey);
    assertThat(audit.exit()).as(audit.out() + audit.err()).isZero();
  }

  @Test
  void devDemoThenEveryCommandAgainstIt() throws Exception {
    Path keys = dataDir.resolve("keys");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("admin.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
        .isEqualTo("rwx------");
    // A private key file others may read is refused, as ssh refuses one.
    Path loose = dataDir.resolve("loose.key");
    assertThat(ledger("keygen", "--kind", "agent", "--out", loose.toString()).exit()).isZero();
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    Run refused = ledger("sign-message", "--key", loose.toString(), "--message", "hello");
    assertThat(refused.exit()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(refused.err()).contains("chmod 600 " + loose);

    String invoiceAgent = demoId("invoice-agent");
    Run status = ledger("status", invoiceAgent, "--url", url);
    assertThat(status.exit()).as(status.out() + status.err()).isEqualTo(0);
    assertThat(status.out()).contains("status     active");

    Path sponsorKey = dataDir.resolve("cli-sponsor.key");
    Path agentKey = dataDir.resolve("cli-agent.key");
    assertThat(ledger("keygen", "--kind", "sponsor", "--out", sponsorKey.toString()).exit())
        .isZero();
    Run keygen = ledger("keygen", "--kind", "agent", "--out", agentKey.toString());
    assertThat(keygen.exit()).isZero();
    String agentId =
        keygen
            .out()
            .lines()
            .filter(l -> l.startsWith("id"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[1];
    assertThat(ledger("keygen", "--out", agentKey.toString()).exit())
        .isEqualTo(ExitCodes.ENVIRONMENT);

    Run sponsor =
        ledger(
            "sponsor",
            "register",
            "--url",
            url,
            "--admin-key",
            keys.resolve("admin.key").toString(),
            "--sponsor-key",
            sponsorKey.toString(),
            "--name",
            "CLI Corp",
            "--contact",
            "cli@example.org");
    assertThat(sponsor.exit()).as(sponsor.out() + sponsor.err()).isZero();
    assertThat(sponsor.out()).contains("accepted");
    Thread.sleep(1500);
    Run agent =
        ledger(
            "agent",
            "register",
            "--url",
            url,
            "--sponsor-key",
            sponsorKey.toString(),
            "--agent-key",
            agentKey.toString(),
            "--name",
            "cli-bot",
            "--capability",
            "docs:read");
    assertThat(agent.exit()).as(agent.out() + agent.err()).isZero();
    Thread.sleep(1500);

    Run report =
        ledger(
            "report",
            invoiceAgent,
            "--url",
            url,
            "--key",
            agentKey.toString(),
            "--as",
            "agent",
            "--interaction",
            "cli-1",
            "--rating",
            "80",
            "--category",
            "quality");
    assertThat(report.exit()).as(report.out() + report.err()).isZero();
    Run selfReport =
        ledger(
            "report",
            agentId,
            "--url",
            url,
            "--key",
            agentKey.toString(),
            "--as",
            "agent",
            "--interaction",
            "cli-2",
            "--rating",
            "100");
    assertThat(selfReport.exit()).isEqualTo(ExitCodes.NO);
    assertThat(selfReport.out()).contains("SELF_REPORT");

    assertThat(
            ledger(
                    "suspend",
                    agentId,
                    "--url",
                    url,
                    "--key",
                    sponsorKey.toString(),
                    "--reason",
                    "check")
                .exit())
        .isZero();
    assertThat(ledger("status", agentId, "--url", url).out()).contains("suspended");
    assertThat(ledger("reinstate", agentId, "--url", url, "--key", sponsorKey.toString()).exit())
        .isZero();

    Run signature =
        ledger("sign-message", "--key", agentKey.toString(), "--message", "hello gateway");
    String sig = signature.out().trim();
    Run trusted =
        ledger(
            "verify",
            "--url",
            url,
            "--agent",
            agentId,
            "--message",
            "hello gateway",
            "--signature",
            sig,
            "--min-trust",
            "0");
    assertThat(trusted.exit()).as(trusted.out() + trusted.err() + signature.err()).isZero();
    Run wrongMessage =
        ledger(
            "verify", "--url", url, "--agent", agentId, "--message", "other", "--signature", sig);
    assertThat(wrongMessage.exit()).isEqualTo(ExitCodes.NO);

    assertThat(
            ledger(
                    "revoke",
                    agentId,
                    "--url",
                    url,
                    "--key",
                    sponsorKey.toString(),
                    "--reason",
                    "done")
                .exit())
        .isZero();
    assertThat(
            ledger(
                    "verify",
                    "--url",
                    url,
                    "--agent",
                    agentId,
                    "--message",
                    "hello gateway",
                    "--signature",
                    sig,
                    "--min-trust",
                    "0")
                .out())
        .contains("revoked");
    Run revokeSponsor =
        ledger(
            "sponsor",
            "revoke",
            demoId("sponsor Globex"),
            "--url",
            url,
            "--admin-key",
            keys.resolve("admin.key").toString(),
            "--reason",
            "offboarded");
    assertThat(revokeSponsor.exit()).as(revokeSponsor.out()).isZero();

    Run viaKafka =
        ledger(
            "report",
            invoiceAgent,
            "--bootstrap",
            "127.0.0.1:" + kafkaPort,
            "--key",
            keys.resolve("admin.key").toString(),
            "--as",
            "admin",
            "--interaction",
            "kafka-1",
            "--rating",
            "70");
    assertThat(viaKafka.exit()).as(viaKafka.out() + viaKafka.err()).isZero();
    // Over Kafka too, the command waits for the decision and prints it.
    assertThat(viaKafka.out()).contains("at offset").contains("accepted: seq");
    Run againViaKafka =
        ledger(
            "report",
            invoiceAgent,
            "--bootstrap",
            "127.0.0.1:" + kafkaPort,
            "--key",
            keys.resolve("admin.key").toString(),
            "--as",
            "admin",
            "--interaction",
            "kafka-1",
            "--rating",
            "70");
    assertThat(againViaKafka.exit()).isEqualTo(ExitCodes.NO);
    assertThat(againViaKafka.out()).contains("rejected: DUPLICATE_EVENT");

    assertThat(ledger("status", "agt_" + "a".repeat(32), "--url", url).exit())
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ledger("status", invoiceAgent, "--url", "http://127.0.0.1:1").exit())
        .isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(
            ledger(
                    "report",
                    invoiceAgent,
                    "--url",
                    url,
                    "--key",
                    "/no/such.key",
                    "--interaction",
                    "x",
                    "--rating",
                    "1")
                .exit())
        .isEqualTo(ExitCodes.NOT_FOUND);

    // A report repeated under a new event id (same reporter, subject and interaction) gets its own
    // decision at once: DUPLICATE_EVENT, naming the entry that holds the interaction.
    String[] repeatReport = {
      "report",
      invoiceAgent,
      "--url",
      url,
      "--key",
      keys.resolve("admin.key").toString(),
      "--as",
      "admin",
      "--interaction",
      "repeat-1",
      "--rating",
      "80",
      "--timeout",
      "5"
    };
    assertThat(ledger(repeatReport).exit()).isZero();
    long repeatStart = System.nanoTime();
    Run repeated = ledger(repeatReport);
    long repeatMs = (System.nanoTime() - repeatStart) / 1_000_000;
    assertThat(repeated.exit()).as(repeated.out() + repeated.err()).isEqualTo(ExitCodes.NO);
    assertThat(repeated.out())
        .contains("rejected: DUPLICATE_EVENT (interaction repeat-1")
        .contains("already counted at ledger_seq");
    System.out.printf("repeated report: decided in %d ms, JVM start included%n", repeatMs);

    Thread.sleep(12_000); // a checkpoint interval
    String[] audit = {
      "audit",
      "--bootstrap",
      "127.0.0.1:" + kafkaPort,
      "--ledger-key",
      keys.resolve("ledger.key.pub").toString(),
      "--admin-key",
      keys.resolve("admin.key.pub").toString(),
      "--compare-url",
      url
    };
    Run audited = ledger(audit);
    assertThat(audited.exit()).as(audited.out() + audited.err()).isZero();
    assertThat(audited.out()).contains("OK: the log verifies");

    Path export = dataDir.resolve("export.jsonl");
    assertThat(
            ledger("export", "--bootstrap", "127.0.0.1:" + kafkaPort, "--out", export.toString())
                .exit())
        .isZero();
    Run offline =
        ledger(
            "audit",
            "--file",
            export.toString(),
            "--ledger-key",
            keys.resolve("ledger.key.pub").toString(),
            "--json");
    assertThat(offline.exit()).as(offline.out()).isZero();
    assertThat(offline.out()).contains("\"ok\" : true");

    // No private key appears in anything the node or the CLI printed.
    List<String> secrets = new ArrayList<>();
    for (Path key : List.of(keys.resolve("admin.key"), keys.resolve("ledger.key"), agentKey)) {
      String pem = Files.readString(key);
      secrets.add(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      secrets.add(Base64Url.encode(KeyFiles.readPrivateKey(key).seed()));
    }
    String printed;
    synchronized (devOutput) {
      printed = String.join("\n", devOutput) + keygen.out() + keygen.err();
    }
    assertThat(printed).doesNotContain("PRIVATE KEY");
    for (String secret : secrets) {
      assertThat(printed).doesNotContain(secret);
    }

    // Stop with SIGTERM (what Ctrl-C sends to the JVM), start again on the same data with --demo:
    // nothing lost, and the demo, already there, publishes nothing again.
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    long before = json.readTree(get("/v1/ledger")).get("next_ledger_seq").asLong();
    String trustBefore =
        json.readTree(get("/v1/agents/" + invoiceAgent)).get("trust_score").asText();
    dev.destroy();
    assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
    synchronized (devOutput) {
      devOutput.clear();
    }
    dev = startDev(true);
    assertThat(demoId("invoice-agent")).isEqualTo(invoiceAgent);
    synchronized (devOutput) {
      assertThat(devOutput).anyMatch(l -> l.startsWith("Demo already published"));
    }
    Thread.sleep(2000);
    assertThat(json.readTree(get("/v1/ledger")).get("next_ledger_seq").asLong()).isEqualTo(before);
    assertThat(json.readTree(get("/v1/agents/" + invoiceAgent)).get("trust_score").asText())
        .isEqualTo(trustBefore);
    assertThat(ledger("status", invoiceAgent, "--url", url).out()).contains("status     active");
    assertThat(ledger("status", agentId, "--url", url).out()).contains("revoked");
    Run second =
        ledger(
            "dev",
            "--port",
            Integer.toString(httpPort),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--data-dir",
            dataDir.resolve("other").toString());
    assertThat(second.exit()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(second.err()).contains(Integer.toString(kafkaPort));
  }

  /** Generates a key with the CLI and returns the id it prints. */
  private static String keygen(String kind, Path file) {
    Run keygen = ledger("keygen", "--kind", kind, "--out", file.toString());
    assertThat(keygen.exit()).as(keygen.out() + keygen.err()).isZero();
    return keygen
        .out()
        .lines()
        .filter(l -> l.startsWith("id"))
        .findFirst()
        .orElseThrow()
        .split("\\s+")[1];
  }

  /** The CLI in its own JVM, in {@code dir}, with {@code env} added to its environment. */
  static Run ledgerProcess(Map<String, String> env, Path dir, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // The command's own logging setup (to stderr), not the tests'.
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                LedgerCli.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("LEDGER_URL");
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                return e.toString();
              }
            });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err.get());
  }

  /**
   * A new user's first commands: no --url, no --bootstrap, no --ledger-key. The CLI finds the node
   * from LEDGER_URL (host:port) or from the .ledger/cli.properties that ledger dev wrote, on any
   * port; --json answers for scripts.
   */
  @Test
  void theCliFindsTheLedgerWithoutOptions() throws Exception {
    String invoiceAgent = demoId("invoice-agent");
    Path elsewhere = Files.createTempDirectory("cli-elsewhere");
    Run byEnv =
        ledgerProcess(
            Map.of("LEDGER_URL", "127.0.0.1:" + httpPort), elsewhere, "status", invoiceAgent);
    assertThat(byEnv.exit()).as(byEnv.out() + byEnv.err()).isZero();
    assertThat(byEnv.out()).contains("status     active");
    Run noNode = ledgerProcess(Map.of(), elsewhere, "status", invoiceAgent);
    assertThat(noNode.exit()).isEqualTo(ExitCodes.UNREACHABLE);

    Path work = Files.createTempDirectory("cli-work");
    Files.createSymbolicLink(work.resolve(".ledger"), dataDir);
    Run byFile = ledgerProcess(Map.of(), work, "status", invoiceAgent, "--json");
    assertThat(byFile.exit()).as(byFile.out() + byFile.err()).isZero();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(byFile.out())
                .get("agent_id")
                .asText())
        .isEqualTo(invoiceAgent);
    Run report =
        ledgerProcess(
            Map.of(),
            work,
            "report",
            invoiceAgent,
            "--key",
            ".ledger/keys/demo/auditor-agent.key",
            "--interaction",
            "no-options-1",
            "--rating",
            "88",
            "--json");
    assertThat(report.exit()).as(report.out() + report.err()).isZero();
    var decided = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.out());
    assertThat(decided.get("status").asText()).isEqualTo("accepted");
    assertThat(decided.get("entry_hash").asText()).matches("[0-9a-f]{64}");
    Run audit = ledgerProcess(Map.of(), work, "audit");
    assertThat(audit.exit()).as(audit.out() + audit.err()).isZero();
    assertThat(audit.out()).contains("OK: the log verifies");
  }

  /** Signs {@code message} with {@code key} and asks the node whether the agent may act. */
  private static Run verifyAs(String agentId, Path key, String... required) {
    String sig =
        ledger("sign-message", "--key", key.toString(), "--message", "GET /x").out().trim();
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--url",
                url,
                "--agent",
                agentId,
                "--message",
                "GET /x",
                "--signature",
                sig,
                "--min-trust",
                "0"));
    for (String r : required) {
      args.add("--require");
      args.add(r);
    }
    return ledger(args.toArray(String[]::new));
  }

  /**
   * The identity lifecycle through the CLI: a sub-agent may only hold what its parent holds, and
   * loses it with its parent; a leaked key is rotated by the sponsor and the gateway sees the new
   * key at once; an agent renewed to expire soon is refused once expired, then renewed again.
   */
  @Test
  void rotateRenewAndNarrowThroughTheCli() throws Exception {
    Path admin = dataDir.resolve("keys").resolve("admin.key");
    Path sponsor = dataDir.resolve("life-sponsor.key");
    Path parent = dataDir.resolve("life-parent.key");
    Path parent2 = dataDir.resolve("life-parent-2.key");
    Path helper = dataDir.resolve("life-helper.key");
    String sponsorId = keygen("sponsor", sponsor);
    String parentId = keygen("agent", parent);
    keygen("agent", parent2);
    String helperId = keygen("agent", helper);
    accepted(
        ledger(
            "sponsor",
            "register",
            "--url",
            url,
            "--admin-key",
            admin.toString(),
            "--sponsor-key",
            sponsor.toString(),
            "--name",
            "Lifecycle Ltd",
            "--contact",
            "life@example.org"));
    String inAnHour = java.time.Instant.now().plusSeconds(3600).toString();
    accepted(
        ledger(
            "agent",
            "register",
            "--url",
            url,
            "--sponsor-key",
            sponsor.toString(),
            "--agent-key",
            parent.toString(),
            "--name",
            "parent",
            "--capability",
            "docs:read",
            "--capability",
            "docs:write",
            "--expires-at",
            inAnHour));
    Run tooMuch =
        ledger(
            "agent",
            "register",
            "--url",
            url,
            "--parent-key",
            parent.toString(),
            "--sponsor",
            sponsorId,
            "--agent-key",
            helper.toString(),
            "--name",
            "helper",
            "--capability",
            "payments:execute");
    assertThat(tooMuch.exit()).as(tooMuch.out() + tooMuch.err()).isEqualTo(ExitCodes.NO);
    assertThat(tooMuch.out()).contains("rejected: CAPABILITY_NOT_HELD");
    accepted(
        ledger(
            "agent",
            "register",
            "--url",
            url,
            "--parent-key",
            parent.toString(),
            "--sponsor",
            sponsorId,
            "--agent-key",
            helper.toString(),
            "--name",
            "helper",
            "--capability",
            "docs:write"));
    Run may = verifyAs(helperId, helper, "docs:write");
    assertThat(may.exit()).as(may.out() + may.err()).isZero();

    // The parent loses docs:write: so does the helper, at once.
    accepted(
        ledger(
            "agent",
            "capabilities",
            parentId,
            "--url",
            url,
            "--key",
            sponsor.toString(),
            "--capability",
            "docs:read",
            "--reason",
            "least privilege"));
    Run mayNot = verifyAs(helperId, helper, "docs:write");
    assertThat(mayNot.exit()).isEqualTo(ExitCodes.NO);
    assertThat(mayNot.out())
        .contains("capability_missing")
        .contains("missing capabilities: docs:write");

    // The parent's key leaked: its sponsor rotates it without the old key.
    Run rotated =
        ledger(
            "rotate-key",
            parentId,
            "--url",
            url,
            "--key",
            sponsor.toString(),
            "--new-key",
            parent2.toString(),
            "--reason",
            "leaked");
    accepted(rotated);
    assertThat(verifyAs(parentId, parent).out()).contains("bad_signature");
    assertThat(verifyAs(parentId, parent2).exit()).isZero();
    String status = ledger("status", parentId, "--url", url).out();
    assertThat(status).contains("parent").contains("may        docs:read");
    Run oldKeyReport =
        ledger(
            "report",
            helperId,
            "--url",
            url,
            "--key",
            parent.toString(),
            "--as",
            "agent",
            "--interaction",
            "old-key",
            "--rating",
            "90");
    assertThat(oldKeyReport.exit()).isNotZero();
    Run newKeyReport =
        ledger(
            "report",
            helperId,
            "--url",
            url,
            "--key",
            parent2.toString(),
            "--as",
            "agent",
            "--id",
            parentId,
            "--interaction",
            "new-key",
            "--rating",
            "90");
    accepted(newKeyReport);

    // Renewed to expire in two seconds: refused once it has, then renewed again.
    accepted(
        ledger(
            "agent",
            "renew",
            parentId,
            "--url",
            url,
            "--key",
            sponsor.toString(),
            "--expires-at",
            Long.toString(System.currentTimeMillis() + 2000)));
    Thread.sleep(2500);
    Run expired = verifyAs(parentId, parent2);
    assertThat(expired.exit()).isEqualTo(ExitCodes.NO);
    assertThat(expired.out()).contains("expired");
    accepted(
        ledger(
            "agent",
            "renew",
            parentId,
            "--url",
            url,
            "--key",
            sponsor.toString(),
            "--expires-at",
            inAnHour));
    assertThat(verifyAs(parentId, parent2).exit()).isZero();

    // Its sponsor suspended by an admin: every agent of it is suspended through it.
    accepted(
        ledger("sponsor", "suspend", sponsorId, "--url", url, "--admin-key", admin.toString()));
    Run suspended = verifyAs(helperId, helper);
    assertThat(suspended.out()).contains("suspended").contains("suspended through " + sponsorId);
  }

  private static void accepted(Run run) {
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("accepted: seq");
  }

  /**
   * Another sponsor's agent reports about an agent under the id its sponsor will use to revoke it;
   * then the sponsor revokes it under that id. The revocation is decided on its own, the agent ends
   * revoked, and the reused id answers with each event's own outcome: through the CLI, then with
   * bare HTTP requests.
   */
  @Test
  void aSquattedEventIdDoesNotTakeOverTheRevocation() throws Exception {
    Path admin = dataDir.resolve("keys").resolve("admin.key");
    Path victimSponsor = dataDir.resolve("squat-victim-sponsor.key");
    Path rogueSponsor = dataDir.resolve("squat-rogue-sponsor.key");
    Path helper = dataDir.resolve("squat-helper.key");
    Path helper2 = dataDir.resolve("squat-helper2.key");
    Path rogue = dataDir.resolve("squat-rogue.key");
    keygen("sponsor", victimSponsor);
    keygen("sponsor", rogueSponsor);
    String helperId = keygen("agent", helper);
    String helper2Id = keygen("agent", helper2);
    keygen("agent", rogue);
    for (Path sponsor : List.of(victimSponsor, rogueSponsor)) {
      accepted(
          ledger(
              "sponsor",
              "register",
              "--url",
              url,
              "--admin-key",
              admin.toString(),
              "--sponsor-key",
              sponsor.toString(),
              "--name",
              sponsor.getFileName().toString(),
              "--contact",
              "squat@example.org"));
    }
    for (Path agent : List.of(helper, helper2)) {
      accepted(
          ledger(
              "agent",
              "register",
              "--url",
              url,
              "--sponsor-key",
              victimSponsor.toString(),
              "--agent-key",
              agent.toString(),
              "--name",
              agent.getFileName().toString()));
    }
    accepted(
        ledger(
            "agent",
            "register",
            "--url",
            url,
            "--sponsor-key",
            rogueSponsor.toString(),
            "--agent-key",
            rogue.toString(),
            "--name",
            "rogue"));

    // Through the CLI: the squat is a report of its own, accepted; a second event of the same
    // signer under the id, with other content, is a duplicate that says so.
    accepted(
        ledger(
            "report",
            helperId,
            "--url",
            url,
            "--key",
            rogue.toString(),
            "--as",
            "agent",
            "--event-id",
            "revoke-helper-1",
            "--interaction",
            "squat-1",
            "--rating",
            "10"));
    Run reused =
        ledger(
            "report",
            helperId,
            "--url",
            url,
            "--key",
            rogue.toString(),
            "--as",
            "agent",
            "--event-id",
            "revoke-helper-1",
            "--interaction",
            "squat-1",
            "--rating",
            "90");
    assertThat(reused.exit()).as(reused.out() + reused.err()).isEqualTo(ExitCodes.NO);
    assertThat(reused.out()).contains("rejected: DUPLICATE_EVENT").contains("with other content");
    Run revoke =
        ledger(
            "revoke",
            helperId,
            "--url",
            url,
            "--key",
            victimSponsor.toString(),
            "--event-id",
            "revoke-helper-1",
            "--reason",
            "offboarded");
    accepted(revoke);
    Run status = ledger("status", helperId, "--url", url);
    assertThat(status.out()).as(status.out()).contains("status     revoked");

    // Through HTTP: the same sequence as signed JSON events, each asked about by its own hash.
    HttpClient http = HttpClient.newHttpClient();
    Signer rogueSigner = new Signer(PrincipalKind.AGENT, KeyOptions.read(rogue, "agent"));
    Signer sponsorSigner =
        new Signer(PrincipalKind.SPONSOR, KeyOptions.read(victimSponsor, "sponsor"));
    SignedEvent squat =
        Events.report(helper2Id, "squat-2", 10, Severity.LOW, "quality")
            .eventId("revoke-helper-2")
            .sign(rogueSigner);
    SignedEvent revocation =
        Events.revoke(helper2Id, "offboarded").eventId("revoke-helper-2").sign(sponsorSigner);
    for (SignedEvent e : List.of(squat, revocation)) {
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/events"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(AvroJson.toJson(e).toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }
    JsonNode squatStatus = decided(http, helper2Id, "revoke-helper-2", squat);
    JsonNode revokeStatus = decided(http, helper2Id, "revoke-helper-2", revocation);
    assertThat(squatStatus.get("status").asText()).isEqualTo("accepted");
    assertThat(revokeStatus.get("status").asText()).isEqualTo("accepted");
    assertThat(revokeStatus.get("event_hash").asText())
        .isEqualTo(Hex.encode(EventHashes.of(revocation)))
        .isNotEqualTo(squatStatus.get("event_hash").asText());
    assertThat(revokeStatus.get("ledger_seq").asLong())
        .isNotEqualTo(squatStatus.get("ledger_seq").asLong());
    assertThat(revokeStatus.get("others")).hasSize(1);
    HttpResponse<String> agent =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v1/agents/" + helper2Id)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(new ObjectMapper().readTree(agent.body()).get("status").asText())
        .isEqualTo("revoked");
  }

  /** Polls the status of {@code event} by its hash until the ledger has decided it. */
  private static JsonNode decided(HttpClient http, String subject, String id, SignedEvent event)
      throws Exception {
    URI uri =
        URI.create(
            url
                + "/v1/events/"
                + subject
                + "/"
                + id
                + "?event_hash="
                + Hex.encode(EventHashes.of(event)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonNode body =
          new ObjectMapper()
              .readTree(
                  http.send(
                          HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                      .body());
      if (!body.path("status").asText().equals("pending") || System.nanoTime() > deadline) {
        return body;
      }
      Thread.sleep(100);
    }
  }
}
