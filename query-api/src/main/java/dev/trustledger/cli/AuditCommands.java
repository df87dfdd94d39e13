package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.ExportFile;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.Problem;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    @Option(
        names = "--bootstrap",
        description =
            "Read the topics of this Kafka cluster. Default: $LEDGER_BOOTSTRAP, else 'bootstrap'"
                + " in cli.properties (which 'ledger dev' writes).")
    String bootstrap;

    @Option(names = "--file", description = "Read an export file ('ledger export').")
    Path file;
  }

  /** The source given, or Kafka as the CLI's configuration names it. */
  static Source source(Source given) {
    if (given != null && (given.file != null || given.bootstrap != null)) {
      return given;
    }
    Source s = new Source();
    s.bootstrap =
        CliConfig.current()
            .bootstrap(null)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCodes.USAGE,
                        "give --bootstrap or --file (or run next to the .ledger/cli.properties"
                            + " that 'ledger dev' writes)"));
    return s;
  }

  /** The ledger key given, or the one the CLI's configuration names. */
  static String ledgerKey(String given) {
    if (given != null) {
      return given;
    }
    return CliConfig.current()
        .ledgerKey()
        .orElseThrow(
            () ->
                new CliException(
                    ExitCodes.USAGE,
                    "give --ledger-key (or run next to the .ledger/cli.properties that 'ledger dev'"
                        + " writes)"));
  }

  @Command(
      name = "audit",
      description =
          "Verify the log without trusting the operator: hashes, chains, signatures, checkpoints, decisions, trust. Exit 0 only when everything verifies.",
      mixinStandardHelpOptions = true)
  static final class Audit implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "0..1")
    Source source;

    @Option(
        names = "--ledger-key",
        description =
            "The ledger's public key (SPKI PEM file, hex, base64url or verifier key): the one"
                + " thing the audit trusts, its genesis key or a key it rotated to (with --follow:"
                + " its genesis key; the monitor follows its rotations). Default: 'ledger.key' in"
                + " cli.properties (which 'ledger dev' writes).")
    String ledgerKey;

    @Option(
        names = "--admin-key",
        description =
            "An admin key (SPKI PEM file or base64url raw) the genesis must name (repeatable):"
                + " pins the admins instead of taking them from the log.")
    List<String> adminKeys = List.of();

    @Option(
        names = "--kafka-config",
        description =
            "Kafka client settings (security.protocol, sasl.*, ssl.*) as a properties file, for a"
                + " secured cluster.")
    Path kafkaConfig;

    @Option(
        names = "--schema-registry-url",
        description = "Schema registry of a ledger that uses the Confluent wire format.")
    String registryUrl;

    @Option(
        names = "--compare-url",
        description = "Also compare every agent's trust with what this node serves.")
    String compareUrl;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Option(
        names = "--checkpoint",
        description =
            "A checkpoint seen elsewhere (a file: a node's /checkpoint, a saved note, a receipt;"
                + " repeatable): it must be of this log's tree, or the audit reports a fork.")
    List<Path> observed = List.of();

    @Option(
        names = "--witness-key",
        description = "A witness's cosignature verifier key, or a file holding it (repeatable).")
    List<String> witnessKeys = List.of();

    @Option(
        names = "--quorum",
        defaultValue = "-1",
        description =
            "Valid cosignatures each --checkpoint needs of the witnesses given; default: all.")
    int quorum;

    @Option(
        names = "--follow",
        description =
            "Keep following the log (with --bootstrap) and verify each new checkpoint as it comes:"
                + " a monitor. Stops with exit 1 at the first problem.")
    boolean follow;

    @Option(
        names = "--state-dir",
        description =
            "With --follow: where the monitor keeps what it verified, to resume from the last"
                + " verified checkpoint after a restart.")
    Path stateDir;

    @Option(
        names = "--metrics-port",
        defaultValue = "-1",
        description = "With --follow: serve Prometheus metrics on 127.0.0.1:<port>/metrics.")
    int metricsPort;

    @Option(
        names = "--max-problems",
        defaultValue = "100",
        description = "Problems to print. Default: ${DEFAULT-VALUE}")
    int maxProblems;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      source = source(source);
      ledgerKey = ledgerKey(ledgerKey);
      if (follow) {
        return Monitor.run(this, out, err);
      }
      List<dev.trustledger.checkpoint.CosignerKey> witnesses =
          witnessKeys.stream().map(KeyOptions::witnessKey).toList();
      int q = quorum < 0 ? witnesses.size() : quorum;
      if (q > witnesses.size()) {
        throw new CliException(
            ExitCodes.USAGE,
            "--quorum " + q + " of " + witnesses.size() + " witnesses cannot be met");
      }
      LogAuditor auditor = LogAuditor.of(publicKey(ledgerKey)).withWitnesses(witnesses, q);
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
        Map<String, Object> kafka = Brokers.settings(source.bootstrap, kafkaConfig);
        Brokers.requireReachable(kafka, 15);
        log =
            new TopicLogReader(kafka, LedgerTopics.DEFAULT, LedgerFormats.of(registryUrl))
                .onProgress(n -> err.printf("read %,d records%n", n).flush())
                .read();
      }
      List<AuditLog.Observed> seen = new ArrayList<>();
      for (Path f : observed) {
        seen.add(new AuditLog.Observed(f.toString(), observedNote(f)));
      }
      log = log.withObserved(seen);
      double readSeconds = (System.nanoTime() - start) / 1e9;
      if (!json) {
        err.printf("read %,d entries in %.1f s, verifying…%n", log.entryCount(), readSeconds)
            .flush();
      }
      AuditReport report = auditor.audit(log);
      List<Problem> problems = new ArrayList<>(report.problems());
      problems.addAll(pinnedAdmins(report));
      if (compareUrl != null && report.parameters() != null) {
        problems.addAll(
            compare(report, compareUrl, TrustParams.of(report.parameters().getTrust())));
      }
      if (json) {
        out.println(toJson(report, problems, readSeconds).toPrettyString());
      } else {
        if (report.parameters() != null) {
          out.printf(
              "ledger %s (%s)%n",
              report.parameters().getLedgerName(), Signer.ledgerId(publicKey(ledgerKey)));
        }
        out.printf(
            "entries %,d, rejections %,d, subjects %,d, partitions %d, checkpoints verified %d%n",
            report.entries(),
            report.rejections(),
            report.subjects(),
            report.partitions(),
            report.checkpoints());
        out.printf("tree size %,d, root %s%n", report.treeSize(), report.rootHash());
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

    /** The checkpoint note in a file: the note itself, or the one at the end of a receipt. */
    private static String observedNote(Path f) {
      String text;
      try {
        text = java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCodes.NOT_FOUND, "cannot read " + f + ": " + e.getMessage());
      }
      if (text.startsWith("c2sp.org/tlog-proof@v1\n")) {
        try {
          return dev.trustledger.receipt.Receipt.parse(text).checkpoint();
        } catch (dev.trustledger.receipt.ReceiptException e) {
          throw new CliException(ExitCodes.USAGE, f + ": " + e.getMessage());
        }
      }
      return text;
    }

    /** The admins the genesis names must be those given with --admin-key, if any were. */
    private List<Problem> pinnedAdmins(AuditReport report) {
      if (adminKeys.isEmpty() || report.parameters() == null) {
        return List.of();
      }
      java.util.Set<String> want = new java.util.TreeSet<>();
      adminKeys.forEach(k -> want.add(Base64Url.encode(publicKey(k).raw())));
      java.util.Set<String> found = new java.util.TreeSet<>();
      report
          .parameters()
          .getAdminPublicKeys()
          .forEach(k -> found.add(Base64Url.encode(dev.trustledger.encoding.Buffers.toArray(k))));
      return want.equals(found)
          ? List.of()
          : List.of(
              new Problem(
                  Problem.Kind.GENESIS, -1, -1, "", -1, "admins " + want, "admins " + found));
    }

    private static Ed25519PublicKey publicKey(String given) {
      return KeyOptions.publicKey(given, "ledger");
    }

    /** Compares the recomputed trust of every agent with a running node's answer. */
    private static List<Problem> compare(AuditReport report, String url, TrustParams params) {
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
                : TrustModel.evaluate(e.getValue(), asOf, params).trust();
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
      root.put("rejections", report.rejections());
      root.put("subjects", report.subjects());
      root.put("partitions", report.partitions());
      root.put("checkpoints_verified", report.checkpoints());
      root.put("tree_size", report.treeSize());
      root.put("root_hash", report.rootHash());
      root.put("verify_seconds", report.elapsed().toNanos() / 1e9);
      root.put("read_seconds", readSeconds);
      root.put("entries_per_second", report.entriesPerSecond());
      ArrayNode list = root.putArray("problems");
      for (Problem p : problems) {
        ObjectNode n = list.addObject();
        n.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
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
          "Write the log (entries, checkpoints, rejections and the inputs still on ledger.events) to a JSON Lines file that 'ledger audit --file' verifies offline.",
      mixinStandardHelpOptions = true)
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--bootstrap",
        description =
            "Kafka bootstrap servers. Default: $LEDGER_BOOTSTRAP, else 'bootstrap' in"
                + " cli.properties (which 'ledger dev' writes).")
    String bootstrap;

    @Option(
        names = "--out",
        required = true,
        description = "The JSON Lines file to write (replaced if it exists).")
    Path out;

    @Option(
        names = "--kafka-config",
        description =
            "Kafka client settings (security.protocol, sasl.*, ssl.*) as a properties file, for a"
                + " secured cluster.")
    Path kafkaConfig;

    @Option(
        names = "--schema-registry-url",
        description = "Schema registry of a ledger that uses the Confluent wire format.")
    String registryUrl;

    @Option(names = "--json", description = "Print {ok, records, file} as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Source from = new Source();
      from.bootstrap = bootstrap;
      Map<String, Object> kafka = Brokers.settings(source(from).bootstrap, kafkaConfig);
      Brokers.requireReachable(kafka, 15);
      AuditLog log =
          new TopicLogReader(kafka, LedgerTopics.DEFAULT, LedgerFormats.of(registryUrl)).read();
      long lines = ExportFile.write(out, log, System.currentTimeMillis());
      Report r = new Report(spec.commandLine().getOut(), json);
      r.fields().put("records", lines).put("file", out.toString());
      r.line(String.format("wrote %,d records to %s", lines, out));
      return r.done(ExitCodes.OK);
    }
  }
}
