package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.ExportFile;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.Problem;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.topology.LedgerFormats;
import dev.trustledger.ledger.topology.LedgerTopics;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ledger audit} and {@code ledger export}. */
final class AuditCommands {
  private AuditCommands() {}

  /** Where the log comes from. */
  static final class Source {
    @Option(names = "--bootstrap", description = "Read the topics of this Kafka cluster.")
    String bootstrap;

    @Option(names = "--file", description = "Read an export file ('ledger export').")
    Path file;
  }

  @Command(
      name = "audit",
      description =
          "Verify the log without trusting the operator: hashes, chains, signatures, checkpoints, decisions, trust. Exit 0 only when everything verifies.",
      mixinStandardHelpOptions = true)
  static final class Audit implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(
        names = "--ledger-key",
        required = true,
        description = "The ledger's public key (SPKI PEM file) that signs checkpoints.")
    Path ledgerKey;

    @Option(
        names = "--ledger-name",
        required = true,
        description = "The ledger's name (checkpoint origin and key name).")
    String ledgerName;

    @Option(
        names = "--admin-key",
        description = "An admin's public key, base64url raw or a PEM file (repeatable).")
    List<String> adminKeys = List.of();

    @Option(
        names = "--config",
        description =
            "The ledger's configuration (trust parameters, replay window), if not the defaults.")
    Path config;

    @Option(
        names = "--compare-url",
        description = "Also compare every agent's trust with what this node serves.")
    String compareUrl;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Option(
        names = "--max-problems",
        defaultValue = "100",
        description = "Problems to print. Default: ${DEFAULT-VALUE}")
    int maxProblems;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Map<String, Object> overrides = new HashMap<>();
      overrides.put(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, String.join(",", adminKeysBase64()));
      overrides.put(LedgerConfig.LEDGER_NAME_CONFIG, ledgerName);
      LedgerConfig cfg = ConfigLoader.load(config, Map.of(), overrides);
      LogAuditor auditor = LogAuditor.of(cfg, publicKey(ledgerKey.toString()));
      long start = System.nanoTime();
      AuditLog log;
      if (source.file != null) {
        try {
          log = ExportFile.read(source.file);
        } catch (IOException e) {
          throw new CliException(
              ExitCodes.NOT_FOUND, "cannot read " + source.file + ": " + e.getMessage());
        }
      } else {
        Brokers.requireReachable(source.bootstrap, 15);
        log =
            new TopicLogReader(
                    source.bootstrap,
                    LedgerTopics.DEFAULT,
                    LedgerFormats.of(cfg.getString(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG)))
                .onProgress(n -> err.printf("read %,d records%n", n).flush())
                .read();
      }
      double readSeconds = (System.nanoTime() - start) / 1e9;
      if (!json) {
        err.printf("read %,d entries in %.1f s, verifying…%n", log.entryCount(), readSeconds)
            .flush();
      }
      AuditReport report = auditor.audit(log);
      List<Problem> problems = new ArrayList<>(report.problems());
      if (compareUrl != null) {
        problems.addAll(compare(report, compareUrl, cfg));
      }
      if (json) {
        out.println(toJson(report, problems, readSeconds).toPrettyString());
      } else {
        out.printf(
            "entries %,d, subjects %,d, partitions %d, checkpoints verified %d%n",
            report.entries(), report.subjects(), report.partitions(), report.checkpoints());
        out.printf(
            "verified in %.2f s (%,.0f entries/s), read in %.1f s%n",
            report.elapsed().toNanos() / 1e9, report.entriesPerSecond(), readSeconds);
        for (Problem p : problems.subList(0, Math.min(problems.size(), maxProblems))) {
          out.println("PROBLEM " + p);
        }
        out.println(
            problems.isEmpty()
                ? "OK: the log verifies"
                : "FAILED: " + problems.size() + " problem(s)");
      }
      return problems.isEmpty() ? ExitCodes.OK : ExitCodes.NO;
    }

    private List<String> adminKeysBase64() {
      List<String> out = new ArrayList<>();
      for (String k : adminKeys) {
        out.add(Base64Url.encode(publicKey(k).raw()));
      }
      return out;
    }

    private static Ed25519PublicKey publicKey(String fileOrBase64) {
      Path path = Path.of(fileOrBase64);
      try {
        if (java.nio.file.Files.exists(path)) {
          return KeyFiles.readPublicKey(path);
        }
        return Ed25519PublicKey.of(Base64Url.decode(fileOrBase64));
      } catch (IOException | CryptoException | IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.ENVIRONMENT, "not a public key file or base64url key: " + fileOrBase64);
      }
    }

    /** Compares the recomputed trust of every agent with a running node's answer. */
    private static List<Problem> compare(AuditReport report, String url, LedgerConfig cfg) {
      HttpLedger node = new HttpLedger(url, Duration.ofSeconds(10));
      List<Problem> out = new ArrayList<>();
      for (Map.Entry<String, Evidence> e : report.trust().entrySet()) {
        HttpLedger.Answer a = node.get("/v1/agents/" + e.getKey());
        if (a.status() != 200) {
          out.add(
              new Problem(
                  Problem.Kind.NODE_STATE,
                  -1,
                  -1,
                  e.getKey(),
                  -1,
                  "the agent",
                  "HTTP " + a.status()));
          continue;
        }
        JsonNode body = a.body();
        long asOf = body.get("as_of").asLong();
        double expected =
            body.get("status").asText().equals("revoked")
                ? 0
                : TrustModel.evaluate(e.getValue(), asOf, cfg.trustParams()).trust();
        double served = body.get("trust").asDouble();
        if (Math.abs(expected - served) > 1e-9) {
          out.add(
              new Problem(
                  Problem.Kind.NODE_STATE,
                  -1,
                  -1,
                  e.getKey(),
                  -1,
                  "trust " + expected,
                  "trust " + served));
        }
      }
      return out;
    }

    private static JsonNode toJson(AuditReport report, List<Problem> problems, double readSeconds) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("ok", problems.isEmpty());
      root.put("entries", report.entries());
      root.put("subjects", report.subjects());
      root.put("partitions", report.partitions());
      root.put("checkpoints_verified", report.checkpoints());
      root.put("verify_seconds", report.elapsed().toNanos() / 1e9);
      root.put("read_seconds", readSeconds);
      root.put("entries_per_second", report.entriesPerSecond());
      ArrayNode list = root.putArray("problems");
      for (Problem p : problems) {
        ObjectNode n = list.addObject();
        n.put("kind", p.kind().name());
        n.put("partition", p.partition());
        n.put("offset", p.offset());
        n.put("subject", p.subject());
        n.put("seq", p.seq());
        n.put("expected", p.expected());
        n.put("found", p.found());
      }
      return root;
    }
  }

  @Command(
      name = "export",
      description =
          "Write the log (entries, checkpoints, rejections) to a JSON Lines file that 'ledger audit --file' verifies offline.",
      mixinStandardHelpOptions = true)
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", required = true)
    String bootstrap;

    @Option(names = "--out", required = true)
    Path out;

    @Option(names = "--ledger-name", defaultValue = "trustledger.local")
    String ledgerName;

    @Override
    public Integer call() throws Exception {
      Brokers.requireReachable(bootstrap, 15);
      List<ExportFile.Line> lines =
          new TopicLogReader(bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject())
              .readForExport();
      ExportFile.write(out, ledgerName, lines);
      spec.commandLine().getOut().printf("wrote %,d records to %s%n", lines.size(), out);
      return ExitCodes.OK;
    }
  }
}
