package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.ProofException;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.merkle.Tiles;
import dev.trustledger.receipt.Receipt;
import dev.trustledger.receipt.ReceiptException;
import dev.trustledger.receipt.ReceiptVerifier;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.witness.Witness;
import dev.trustledger.witness.WitnessServer;
import dev.trustledger.witness.WitnessState;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The ledger as a transparency log: witness, receipts, proofs and checkpoints. */
final class LogCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogCommands() {}

  /** Checkpoints' signatures and cosignatures with the keys a person trusts. */
  static final class Trust {
    @Option(
        names = "--ledger-key",
        required = true,
        description =
            "The ledger's public key: its C2SP verifier key (GET /v1/ledger, verifier_key), 64"
                + " hex digits, base64url, or an SPKI PEM file.")
    String ledgerKey;

    @Option(
        names = "--witness-key",
        description = "A witness's cosignature verifier key, or a file holding it (repeatable).")
    List<String> witnessKeys = List.of();

    @Option(
        names = "--quorum",
        defaultValue = "-1",
        description = "Valid cosignatures needed of the witnesses given; default: all of them.")
    int quorum;

    Ed25519PublicKey ledger() {
      return KeyOptions.publicKey(ledgerKey, "ledger");
    }

    List<CosignerKey> witnesses() {
      return witnessKeys.stream().map(KeyOptions::witnessKey).toList();
    }

    int quorum() {
      int q = quorum < 0 ? witnessKeys.size() : quorum;
      if (q > witnessKeys.size()) {
        throw new CliException(
            ExitCodes.USAGE,
            "--quorum " + q + " of " + witnessKeys.size() + " --witness-key cannot be met");
      }
      return q;
    }

    /** Verifies a checkpoint note: the ledger's signature, then the quorum of cosignatures. */
    CheckpointBody verify(String note, PrintWriter out) {
      SignedNote parsed;
      CheckpointBody body;
      try {
        parsed = SignedNote.parse(note);
        String origin = parsed.text().substring(0, parsed.text().indexOf('\n'));
        body = new NoteKey(origin, ledger()).verify(parsed);
      } catch (NoteException | IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.NO, "the checkpoint is not the ledger's: " + e.getMessage());
      }
      int valid = 0;
      for (CosignerKey w : witnesses()) {
        try {
          Optional<Long> t = w.verify(parsed);
          if (t.isPresent()) {
            valid++;
            out.printf("cosigned   by %s at %s%n", w.name(), Instant.ofEpochSecond(t.get()));
          } else {
            out.printf("cosigned   not by %s%n", w.name());
          }
        } catch (NoteException e) {
          throw new CliException(ExitCodes.NO, e.getMessage());
        }
      }
      if (valid < quorum()) {
        throw new CliException(
            ExitCodes.NO,
            "the checkpoint carries " + valid + " valid cosignatures, the quorum is " + quorum());
      }
      return body;
    }
  }

  @Command(
      name = "witness",
      description =
          "Run a C2SP tlog-witness for ledgers: POST /add-checkpoint cosigns a checkpoint that"
              + " extends the last one it cosigned (consistency proof checked);"
              + " GET /<hex SHA-256 of origin>/checkpoint serves the latest. State is kept on disk.",
      mixinStandardHelpOptions = true)
  static final class WitnessCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--key", required = true, description = "The witness's private key file.")
    Path key;

    @Option(
        names = "--name",
        required = true,
        description = "The witness's cosigner name, a schema-less URL (e.g. witness.example/w1).")
    String name;

    @Option(
        names = "--log-key",
        required = true,
        description =
            "The verifier key of a ledger it witnesses (repeatable): <ledger name>+<hex id>+<base64>,"
                + " as GET /v1/ledger shows it.")
    List<String> logKeys;

    @Option(
        names = "--state-dir",
        required = true,
        description = "Where it keeps what it cosigned.")
    Path stateDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "Default: ${DEFAULT-VALUE}")
    int port;

    @Override
    public Integer call() throws Exception {
      Ed25519PrivateKey k = KeyOptions.require(key, KeyKind.WITNESS, "--key").key();
      CosignerKey cosigner = new CosignerKey(name, k.publicKey());
      Map<String, NoteKey> logs = new LinkedHashMap<>();
      for (String v : logKeys) {
        try {
          NoteKey log = NoteKey.parse(v);
          logs.put(log.name(), log);
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCodes.USAGE, "--log-key " + v + ": " + e.getMessage());
        }
      }
      Javalin app = start(cosigner, k, logs, stateDir, host, port);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("witness %s on http://%s:%d%n", name, host, app.port());
      out.printf("verifier key %s%n", cosigner.verifierKey());
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    app.stop();
                    stop.countDown();
                  }));
      stop.await();
      return ExitCodes.OK;
    }

    /** Starts a witness server (also used by {@code ledger dev}). */
    static Javalin start(
        CosignerKey cosigner,
        Ed25519PrivateKey key,
        Map<String, NoteKey> logs,
        Path stateDir,
        String host,
        int port) {
      Witness witness =
          new Witness(
              cosigner,
              key,
              logs,
              new WitnessState(stateDir),
              () -> System.currentTimeMillis() / 1000);
      try {
        return WitnessServer.create(witness).start(host, port);
      } catch (RuntimeException e) {
        throw new CliException(
            ExitCodes.ENVIRONMENT, "cannot listen on " + host + ":" + port + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "verify-receipt",
      description =
          "Check a trust receipt (GET /v1/agents/{id}/receipt) offline and print the agent's"
              + " status and trust. Exit 0 when it verifies and the agent may act, 1 otherwise.",
      mixinStandardHelpOptions = true)
  static final class VerifyReceipt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The receipt file (.tlog-proof).")
    Path file;

    @picocli.CommandLine.Mixin Trust trust = new Trust();

    @Option(
        names = "--max-age",
        description = "Oldest receipt accepted, e.g. PT1H or 15m (ISO-8601 or <n>s/m/h/d).")
    String maxAge;

    @Option(
        names = "--at",
        description = "Compute trust at this time (ISO-8601 instant); default: now.")
    String at;

    @Option(
        names = "--min-trust",
        defaultValue = "50",
        description = "Lowest effective trust score that may act. Default: ${DEFAULT-VALUE}")
    int minTrust;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCodes.NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
      }
      long now = System.currentTimeMillis();
      long when = at == null ? now : Instant.parse(at).toEpochMilli();
      ReceiptVerifier.Verified v;
      try {
        v =
            new ReceiptVerifier(trust.ledger(), trust.witnesses(), trust.quorum(), duration(maxAge))
                .verify(Receipt.parse(text), now, when);
      } catch (ReceiptException e) {
        out.println("receipt does not verify: " + e.getMessage());
        return ExitCodes.NO;
      }
      boolean mayAct = v.status().equals("active") && v.effectiveTrustScore() >= minTrust;
      if (json) {
        ObjectNode o = JSON.valueToTree(v);
        o.put("may_act", mayAct);
        out.println(o.toPrettyString());
        return mayAct ? ExitCodes.OK : ExitCodes.NO;
      }
      out.printf("agent      %s%n", v.agentId());
      out.printf(
          "status     %s%s%n",
          v.status(), v.cause().equals(v.agentId()) ? "" : " (because of " + v.cause() + ")");
      out.printf(
          "trust      %d (effective %d) at %s%n",
          v.trustScore(), v.effectiveTrustScore(), Instant.ofEpochMilli(v.at()));
      out.printf("sponsor    %s%n", v.sponsorId());
      out.printf(
          "checkpoint %s size %d, cosigned by %s%n",
          v.origin(),
          v.treeSize(),
          v.cosigners().isEmpty() ? "no witness" : String.join(", ", v.cosigners()));
      out.printf(
          "statement  %s (%d s ago)%n",
          Instant.ofEpochMilli(v.statementTime()), (now - v.statementTime()) / 1000);
      out.println(mayAct ? "may act (trust >= " + minTrust + ")" : "may not act");
      return mayAct ? ExitCodes.OK : ExitCodes.NO;
    }
  }

  static Duration duration(String s) {
    if (s == null) {
      return null;
    }
    try {
      if (s.matches("\\d+[smhd]")) {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.USAGE, "'" + s + "' is not a duration (15m, 2h, PT1H)");
    }
  }

  @Command(
      name = "proof",
      description =
          "Fetch and check the proof that an agent's latest entry is in the ledger's latest"
              + " checkpoint: the checkpoint's signatures, the entry's bytes from the log's entry"
              + " bundle, and its inclusion proof.",
      mixinStandardHelpOptions = true)
  static final class Proof implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The agent id.")
    String agentId;

    @picocli.CommandLine.Mixin Trust trust = new Trust();

    @Mixin NodeOption node;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Report r = new Report(spec.commandLine().getOut(), json);
      HttpLedger http = this.node.http(Duration.ofSeconds(10));
      HttpLedger.Answer a = http.get("/v1/agents/" + agentId + "?proof=true");
      if (a.status() != 200) {
        r.line("error (" + a.status() + "): " + HttpLedger.detail(a));
        return r.done(a.status() == 404 ? ExitCodes.NOT_FOUND : ExitCodes.UNREACHABLE);
      }
      JsonNode proof = a.body().get("proof");
      if (proof.has("pending")) {
        r.line("no proof yet: " + proof.get("pending").asText());
        return r.done(ExitCodes.NO);
      }
      CheckpointBody body = trust.verify(proof.get("checkpoint").asText(), r.printer());
      long index = proof.get("ledger_seq").asLong();
      long size = body.size();
      long bundle = index / Tiles.WIDTH;
      int width = Tiles.width(-1, bundle, size);
      String path = new Tiles.Tile(-1, bundle, width).path();
      byte[] data = Tiles.unbundle(http.bytes("/" + path)).get((int) (index % Tiles.WIDTH));
      byte[] leaf = MerkleHash.leaf(data);
      LedgerEntry entry;
      try {
        entry = AvroBinary.decode(data, LedgerEntry.getClassSchema());
      } catch (SerdeException e) {
        r.line("the entry at " + index + " does not decode: " + e.getMessage());
        return r.done(ExitCodes.NO);
      }
      List<byte[]> hashes = new ArrayList<>();
      proof.get("proof").forEach(h -> hashes.add(Hex.decode(h.asText())));
      try {
        Proofs.verifyInclusion(index, size, leaf, hashes, body.rootHash());
      } catch (ProofException e) {
        r.line("the proof does not verify: " + e.getMessage());
        return r.done(ExitCodes.NO);
      }
      String head = a.body().path("chain").path("head").asText();
      if (!entry.getSubjectId().equals(agentId)
          || !Hex.encode(Buffers.toArray(entry.getEntryHash())).equals(head)) {
        r.line("the proven entry is not the agent's latest (" + head + ")");
        return r.done(ExitCodes.NO);
      }
      String statusAfter =
          entry.getFacts().getStatusAfter().name().toLowerCase(java.util.Locale.ROOT);
      r.fields()
          .put("agent_id", entry.getSubjectId())
          .put("seq", entry.getSeq())
          .put("ledger_seq", index)
          .put("status_after", statusAfter)
          .put("origin", body.origin())
          .put("tree_size", size)
          .put("root_hash", Hex.encode(body.rootHash()));
      r.line(
          String.format(
              "entry      %s seq %d (ledger_seq %d), status after %s",
              entry.getSubjectId(), entry.getSeq(), index, statusAfter));
      r.line(
          String.format(
              "included   in %s size %d (root %s)",
              body.origin(), size, Hex.encode(body.rootHash())));
      return r.done(ExitCodes.OK);
    }
  }

  @Command(
      name = "checkpoint",
      description =
          "Fetch the ledger's latest checkpoint and check it: its signature, the witnesses'"
              + " cosignatures, and, given an earlier checkpoint, that the log only grew since.",
      mixinStandardHelpOptions = true)
  static final class CheckpointCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Trust trust = new Trust();

    @Mixin NodeOption node;

    @Option(
        names = "--since",
        description = "An earlier checkpoint (a file): the new one must be consistent with it.")
    Path since;

    @Option(names = "--save", description = "Write the checkpoint to this file once it verifies.")
    Path save;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Report r = new Report(spec.commandLine().getOut(), json);
      PrintWriter out = r.printer();
      HttpLedger http = this.node.http(Duration.ofSeconds(10));
      HttpLedger.Text t = http.text("/checkpoint");
      if (t.status() != 200) {
        r.line("error (" + t.status() + "): " + t.body().trim());
        return r.done(ExitCodes.UNREACHABLE);
      }
      CheckpointBody body = trust.verify(t.body(), out);
      r.fields()
          .put("origin", body.origin())
          .put("size", body.size())
          .put("root_hash", Hex.encode(body.rootHash()));
      r.line(
          String.format(
              "checkpoint %s size %d root %s",
              body.origin(), body.size(), Hex.encode(body.rootHash())));
      if (since != null) {
        CheckpointBody old = trust.verify(Files.readString(since, StandardCharsets.UTF_8), out);
        if (old.size() > body.size()) {
          r.line("the ledger shows a smaller tree than " + since + ": a rollback");
          return r.done(ExitCodes.NO);
        }
        HttpLedger.Answer c =
            http.get("/v1/log/consistency?from=" + old.size() + "&to=" + body.size());
        if (c.status() != 200) {
          r.line("error (" + c.status() + "): " + HttpLedger.detail(c));
          return r.done(ExitCodes.UNREACHABLE);
        }
        List<byte[]> hashes = new ArrayList<>();
        c.body().get("proof").forEach(h -> hashes.add(Hex.decode(h.asText())));
        try {
          if (old.size() > 0) {
            Proofs.verifyConsistency(
                old.size(), body.size(), old.rootHash(), body.rootHash(), hashes);
          }
        } catch (ProofException e) {
          r.line("NOT consistent with " + since + " (a fork): " + e.getMessage());
          return r.done(ExitCodes.NO);
        }
        r.fields().put("consistent_with", old.size());
        r.line(String.format("consistent with size %d (%s)", old.size(), since));
      }
      if (save != null) {
        Files.writeString(save, t.body(), StandardCharsets.UTF_8);
      }
      return r.done(ExitCodes.OK);
    }
  }
}
