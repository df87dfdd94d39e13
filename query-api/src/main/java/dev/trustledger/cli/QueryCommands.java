package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Signer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** keygen, status, verify and sign-message. */
final class QueryCommands {
  private QueryCommands() {}

  @Command(
      name = "keygen",
      description = "Create an Ed25519 key pair (private key file mode 0600).",
      mixinStandardHelpOptions = true)
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--out",
        required = true,
        description = "Private key file to create; the public key goes to <out>.pub.")
    Path out;

    @Option(
        names = "--kind",
        defaultValue = "agent",
        description =
            "admin, sponsor, agent, witness, or ledger (a node's ledger.key.file): decides the"
                + " printed id (or, for a witness, its verifier key). Default: ${DEFAULT-VALUE}")
    String kind;

    @Option(
        names = "--name",
        description = "A witness's cosigner name (a schema-less URL, e.g. witness.example/w1).")
    String name;

    @Option(names = "--json", description = "Print {kind, id, public_key, file} as JSON.")
    boolean json;

    @Override
    public Integer call() {
      boolean witness = kind.equalsIgnoreCase("witness");
      PrincipalKind k = null;
      if (witness) {
        if (name == null) {
          throw new CliException(ExitCodes.USAGE, "a witness key needs --name <cosigner name>");
        }
      } else {
        try {
          k = PrincipalKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          k = null;
        }
        if (k == null) {
          throw new CliException(
              ExitCodes.USAGE, "--kind must be admin, sponsor, agent, witness or ledger");
        }
      }
      Ed25519PrivateKey key = Ed25519PrivateKey.generate();
      try {
        KeyFiles.writePrivateKey(
            out,
            key,
            k == null ? Map.of("Kind", "witness", "Name", name) : KeyKind.of(k).labels(key));
        KeyFiles.writePublicKey(Path.of(out + ".pub"), key.publicKey());
      } catch (FileAlreadyExistsException e) {
        throw new CliException(
            ExitCodes.ENVIRONMENT, out + " already exists; keys are never overwritten");
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.ENVIRONMENT, "cannot write " + out + ": " + e.getMessage());
      }
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("kind", kind.toLowerCase(Locale.ROOT));
        if (witness) {
          o.put(
              "verifier_key",
              new dev.trustledger.checkpoint.CosignerKey(name, key.publicKey()).verifierKey());
        } else {
          o.put("id", new Signer(k, key).id());
        }
        o.put("public_key", Base64Url.encode(key.publicKey().raw()));
        o.put("file", out.toString());
        o.put("public_key_file", out + ".pub");
        w.println(o.toPrettyString());
        return ExitCodes.OK;
      }
      if (witness) {
        w.println(
            "verifier key "
                + new dev.trustledger.checkpoint.CosignerKey(name, key.publicKey()).verifierKey());
      } else {
        w.println("id          " + new Signer(k, key).id());
      }
      w.println("public key  " + Base64Url.encode(key.publicKey().raw()));
      w.println("private key " + out + " (mode 0600)");
      w.println("public key  " + out + ".pub");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      description = "An agent's trust and status, as a gateway sees it.",
      mixinStandardHelpOptions = true)
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The agent id.")
    String agentId;

    @Mixin NodeOption node;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() {
      HttpLedger.Answer a = node.http(Duration.ofSeconds(10)).get("/v1/agents/" + agentId);
      PrintWriter out = spec.commandLine().getOut();
      if (a.status() == 404) {
        out.println("no agent " + agentId);
        return ExitCodes.NOT_FOUND;
      }
      if (a.status() != 200) {
        out.println("error (" + a.status() + "): " + HttpLedger.detail(a));
        return a.status() == 400 ? ExitCodes.USAGE : ExitCodes.UNREACHABLE;
      }
      JsonNode b = a.body();
      if (json) {
        out.println(b.toPrettyString());
        return ExitCodes.OK;
      }
      out.printf("agent      %s (%s)%n", b.get("agent_id").asText(), b.get("name").asText());
      out.printf(
          "status     %s%s%s%n",
          b.get("status").asText(),
          b.hasNonNull("status_cause") ? " through " + b.get("status_cause").asText() : "",
          b.get("expired").asBoolean() ? " (expired)" : "");
      if (b.hasNonNull("expires_at")) {
        out.printf(
            "expires    %s (in %s)%n",
            java.time.Instant.ofEpochMilli(b.get("expires_at").asLong()),
            left(java.time.Duration.ofMillis(b.get("expires_in_ms").asLong())));
      }
      List<String> effective = new java.util.ArrayList<>();
      b.path("effective_capabilities").forEach(c -> effective.add(c.asText()));
      out.printf(
          "may        %s%n",
          effective.isEmpty() ? "(no capability)" : String.join(", ", effective));
      out.printf(
          "trust      %d (effective %d, confidence %.2f)%n",
          b.get("trust_score").asInt(),
          b.get("effective_trust_score").asInt(),
          b.get("confidence").asDouble());
      JsonNode sponsor = b.get("human_sponsor");
      if (sponsor != null && !sponsor.isNull()) {
        out.printf(
            "sponsor    %s <%s> (%s)%n",
            sponsor.get("name").asText(),
            sponsor.get("contact").asText(),
            sponsor.get("status").asText());
      }
      out.printf(
          "reports    %d positive, %d negative%n",
          b.get("reports").get("positive").asInt(), b.get("reports").get("negative").asInt());
      return ExitCodes.OK;
    }
  }

  /** A time left as a person reads it: "85 d 17 h", "3 h 12 min", "42 s". */
  static String left(java.time.Duration d) {
    if (d.toDays() > 0) {
      return d.toDays() + " d " + d.toHoursPart() + " h";
    }
    if (d.toHours() > 0) {
      return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
    if (d.toMinutes() > 0) {
      return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
    return d.toSeconds() + " s";
  }

  @Command(
      name = "sign-message",
      description = "Sign a message with an agent key, for 'ledger verify' and POST /v1/verify.",
      mixinStandardHelpOptions = true)
  static final class SignMessage implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--key", required = true, description = "The agent's key file.")
    Path key;

    @Option(
        names = "--message",
        required = true,
        description = "The message to sign (UTF-8 text), e.g. the request line a gateway checks.")
    String message;

    @Option(
        names = "--json",
        description =
            "Print {message, signature} (both base64url) as JSON, a POST /v1/verify body.")
    boolean json;

    @Override
    public Integer call() {
      byte[] signature =
          Messages.sign(
              KeyOptions.require(key, KeyKind.AGENT, "sign-message --key").key(),
              message.getBytes(StandardCharsets.UTF_8));
      if (json) {
        spec.commandLine()
            .getOut()
            .println(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .put("message", Base64Url.encode(message.getBytes(StandardCharsets.UTF_8)))
                    .put("signature", Base64Url.encode(signature))
                    .toPrettyString());
        return ExitCodes.OK;
      }
      spec.commandLine().getOut().println(Base64Url.encode(signature));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      description =
          "The gateway's question: signed by the agent, and trusted? Exit 0 when trusted.",
      mixinStandardHelpOptions = true)
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--agent", required = true, description = "The agent that signed the message.")
    String agentId;

    @Option(names = "--message", required = true, description = "The message (UTF-8 text).")
    String message;

    @Option(
        names = "--signature",
        required = true,
        description = "base64url signature from 'ledger sign-message'.")
    String signature;

    @Option(
        names = "--min-trust",
        defaultValue = "50",
        description = "Minimum effective trust score. Default: ${DEFAULT-VALUE}")
    int minTrust;

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;

    @Option(
        names = "--require",
        description = "A capability the agent must hold (repeatable); else capability_missing.")
    List<String> required = List.of();

    @Mixin NodeOption node;

    @Override
    public Integer call() {
      com.fasterxml.jackson.databind.node.ObjectNode request =
          new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      request.put("agent_id", agentId);
      request.put("message", Base64Url.encode(message.getBytes(StandardCharsets.UTF_8)));
      request.put("signature", signature);
      request.put("min_trust", minTrust);
      if (!required.isEmpty()) {
        required.forEach(request.putArray("required_capabilities")::add);
      }
      String body = request.toString();
      HttpLedger.Answer a = node.http(Duration.ofSeconds(10)).post("/v1/verify", body);
      PrintWriter out = spec.commandLine().getOut();
      if (a.status() != 200) {
        out.println("error (" + a.status() + "): " + HttpLedger.detail(a));
        return a.status() == 400 ? ExitCodes.USAGE : ExitCodes.UNREACHABLE;
      }
      JsonNode b = a.body();
      if (json) {
        out.println(b.toPrettyString());
        return b.path("status").isNull()
            ? ExitCodes.NOT_FOUND
            : b.get("trusted").asBoolean() ? ExitCodes.OK : ExitCodes.NO;
      }
      if (b.path("status").isNull()) {
        out.println("no agent " + agentId + " (unknown_agent)");
        return ExitCodes.NOT_FOUND;
      }
      out.printf(
          "verified %s, trusted %s, status %s, trust %s: %s%n",
          b.get("verified").asBoolean(),
          b.get("trusted").asBoolean(),
          b.get("status").asText(),
          b.get("trust_score").asText(),
          b.get("reason").asText());
      if (b.hasNonNull("status_cause")) {
        out.println("suspended through " + b.get("status_cause").asText());
      }
      if (b.path("missing_capabilities").size() > 0) {
        List<String> missing = new java.util.ArrayList<>();
        b.get("missing_capabilities").forEach(c -> missing.add(c.asText()));
        out.println("missing capabilities: " + String.join(", ", missing));
      }
      return b.get("trusted").asBoolean() ? ExitCodes.OK : ExitCodes.NO;
    }
  }
}
