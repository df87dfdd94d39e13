package dev.trustledger.cli;

import dev.trustledger.avro.Severity;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.event.EventDraft;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.id.PrincipalIds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The publishing commands, one per event type. */
final class PublishCommands {
  private PublishCommands() {}

  /** A signer: a key file and the role it signs in. */
  static final class SignerOptions {
    @Option(names = "--key", required = true, description = "PKCS#8 PEM key file of the signer.")
    Path key;

    @Option(
        names = "--as",
        description =
            "Role of the signer: admin, sponsor, agent or ledger. Default: the kind the key file"
                + " names (files from 'ledger keygen' do), else sponsor.")
    String role;

    @Option(
        names = "--id",
        description =
            "The signer's id, when --key is a key it rotated to (its id stays the hash of its first"
                + " key). Default: the id of --key.")
    String id;

    Signer signer() {
      KeyKind kind;
      if (role == null) {
        KeyOptions.Loaded loaded = KeyOptions.load(key, "signer");
        kind = loaded.kind() != null ? loaded.kind() : KeyKind.SPONSOR;
      } else {
        kind =
            KeyKind.parse(role)
                .filter(k -> k != KeyKind.WITNESS)
                .orElseThrow(
                    () ->
                        new CliException(
                            ExitCodes.USAGE,
                            "--as must be admin, sponsor, agent or ledger, not " + role));
      }
      Signer signer = KeyOptions.signer(key, kind, "--as " + kind.label());
      if (id == null) {
        return signer;
      }
      if (PrincipalIds.kindOf(id).orElse(null) != signer.kind()) {
        throw new CliException(
            ExitCodes.USAGE, "--id " + id + " is not the id of a " + kind.label());
      }
      return Signer.rotated(signer.kind(), id, signer.key());
    }
  }

  abstract static class Publishing implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PublishOptions publish;

    abstract EventDraft draft();

    abstract Signer signer();

    Ed25519PrivateKey newKey() {
      return null;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      EventDraft draft = publish.prepare(draft());
      Ed25519PrivateKey registered = newKey();
      var event = registered == null ? draft.sign(signer()) : draft.sign(signer(), registered);
      return publish.send(event, out);
    }
  }

  @Command(
      name = "register",
      description = "An admin registers a sponsor.",
      mixinStandardHelpOptions = true)
  static final class SponsorRegister extends Publishing {
    @Option(names = "--admin-key", required = true, description = "The admin's key file.")
    Path adminKey;

    @Option(names = "--sponsor-key", required = true, description = "The new sponsor's key file.")
    Path sponsorKey;

    @Option(
        names = "--name",
        required = true,
        description = "The sponsor's name, shown wherever its id is (1-256 characters).")
    String name;

    @Option(
        names = "--contact",
        required = true,
        description = "How to reach the sponsor, e.g. an email address (1-256 characters).")
    String contact;

    @Override
    EventDraft draft() {
      return Events.registerSponsor(newKey().publicKey(), name, contact);
    }

    @Override
    Signer signer() {
      return KeyOptions.signer(adminKey, KeyKind.ADMIN, "--admin-key");
    }

    @Override
    Ed25519PrivateKey newKey() {
      return KeyOptions.require(sponsorKey, KeyKind.SPONSOR, "--sponsor-key").key();
    }
  }

  @Command(
      name = "revoke",
      description = "An admin revokes a sponsor and every agent it answers for.",
      mixinStandardHelpOptions = true)
  static final class SponsorRevoke extends Publishing {
    @Option(names = "--admin-key", required = true, description = "The admin's key file.")
    Path adminKey;

    @Parameters(index = "0", description = "The sponsor id.")
    String sponsorId;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    EventDraft draft() {
      return Events.revokeSponsor(sponsorId, reason);
    }

    @Override
    Signer signer() {
      return KeyOptions.signer(adminKey, KeyKind.ADMIN, "--admin-key");
    }
  }

  abstract static class SponsorStatus extends Publishing {
    @Option(names = "--admin-key", required = true, description = "The admin's key file.")
    Path adminKey;

    @Parameters(index = "0", description = "The sponsor id.")
    String sponsorId;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    Signer signer() {
      return KeyOptions.signer(adminKey, KeyKind.ADMIN, "--admin-key");
    }
  }

  @Command(
      name = "suspend",
      description =
          "An admin suspends a sponsor: it signs nothing and every agent it answers for is"
              + " effectively suspended until it is reinstated.",
      mixinStandardHelpOptions = true)
  static final class SponsorSuspend extends SponsorStatus {
    @Override
    EventDraft draft() {
      return Events.suspendSponsor(sponsorId, reason);
    }
  }

  @Command(
      name = "reinstate",
      description = "An admin reinstates a suspended sponsor.",
      mixinStandardHelpOptions = true)
  static final class SponsorReinstate extends SponsorStatus {
    @Override
    EventDraft draft() {
      return Events.reinstateSponsor(sponsorId, reason);
    }
  }

  @Command(
      name = "sponsor",
      description = "Register, suspend, reinstate or revoke sponsors.",
      mixinStandardHelpOptions = true,
      subcommands = {
        SponsorRegister.class,
        SponsorSuspend.class,
        SponsorReinstate.class,
        SponsorRevoke.class
      })
  static final class Sponsor {}

  @Command(
      name = "register",
      description = "A sponsor registers an agent, or a parent agent a sub-agent.",
      mixinStandardHelpOptions = true)
  static final class AgentRegister extends Publishing {
    @Option(
        names = "--sponsor-key",
        description = "The sponsor's key file (it signs, unless --parent-key is given).")
    Path sponsorKey;

    @Option(names = "--sponsor", description = "The sponsor id (needed with --parent-key).")
    String sponsorId;

    @Option(
        names = "--parent-key",
        description = "The parent agent's key file: registers a sub-agent.")
    Path parentKey;

    @Option(names = "--agent-key", required = true, description = "The new agent's key file.")
    Path agentKey;

    @Option(
        names = "--name",
        required = true,
        description = "The agent's name, shown wherever its id is (1-256 characters).")
    String name;

    @Option(
        names = "--capability",
        description =
            "A capability it holds (repeatable); a sub-agent's must be held by its parent.")
    List<String> capabilities = List.of();

    @Option(names = "--wallet", description = "A wallet address the agent pays from, if any.")
    String wallet;

    @Option(
        names = "--expires-at",
        converter = Times.class,
        description = "When the agent expires: an RFC 3339 time or epoch milliseconds.")
    Long expiresAt;

    @Override
    EventDraft draft() {
      String sponsor = sponsorId;
      if (sponsor == null) {
        if (sponsorKey == null) {
          throw new CliException(
              ExitCodes.USAGE, "give --sponsor-key, or --sponsor with --parent-key");
        }
        sponsor = KeyOptions.signer(sponsorKey, KeyKind.SPONSOR, "--sponsor-key").id();
      }
      Events.AgentRegistration registration =
          Events.registerAgent(newKey().publicKey(), sponsor).name(name).capabilities(capabilities);
      if (wallet != null) {
        registration.wallet(wallet);
      }
      if (expiresAt != null) {
        registration.expiresAt(expiresAt);
      }
      if (parentKey != null) {
        registration.parent(KeyOptions.signer(parentKey, KeyKind.AGENT, "--parent-key").id());
      }
      return registration.draft();
    }

    @Override
    Signer signer() {
      return parentKey != null
          ? KeyOptions.signer(parentKey, KeyKind.AGENT, "--parent-key")
          : KeyOptions.signer(sponsorKey, KeyKind.SPONSOR, "--sponsor-key");
    }

    @Override
    Ed25519PrivateKey newKey() {
      return KeyOptions.require(agentKey, KeyKind.AGENT, "--agent-key").key();
    }
  }

  @Command(
      name = "renew",
      description =
          "Its sponsor (or an admin) extends an agent's validity; an expired agent becomes valid"
              + " again.",
      mixinStandardHelpOptions = true)
  static final class AgentRenew extends Publishing {
    @ArgGroup(exclusive = false, multiplicity = "1")
    SignerOptions signer;

    @Parameters(index = "0", description = "The agent id.")
    String agentId;

    @Option(
        names = "--expires-at",
        required = true,
        converter = Times.class,
        description = "When the agent expires: an RFC 3339 time or epoch milliseconds.")
    long expiresAt;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    EventDraft draft() {
      return Events.renew(agentId, expiresAt, reason);
    }

    @Override
    Signer signer() {
      return signer.signer();
    }
  }

  @Command(
      name = "capabilities",
      description =
          "Replace an agent's capabilities (its sponsor, a parent agent or an admin signs). A"
              + " sub-agent's must be held by its parent; taking one from a parent takes it from"
              + " every agent below it.",
      mixinStandardHelpOptions = true)
  static final class AgentCapabilities extends Publishing {
    @ArgGroup(exclusive = false, multiplicity = "1")
    SignerOptions signer;

    @Parameters(index = "0", description = "The agent id.")
    String agentId;

    @Option(names = "--capability", description = "A capability it holds from now on (repeatable).")
    List<String> capabilities = List.of();

    @Option(names = "--none", description = "Take every capability away.")
    boolean none;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    EventDraft draft() {
      if (capabilities.isEmpty() != none) {
        throw new CliException(ExitCodes.USAGE, "give --capability (repeatable) or --none");
      }
      return Events.changeCapabilities(agentId, capabilities, reason);
    }

    @Override
    Signer signer() {
      return signer.signer();
    }
  }

  @Command(
      name = "agent",
      description = "Register agents, renew them, change their capabilities.",
      mixinStandardHelpOptions = true,
      subcommands = {AgentRegister.class, AgentRenew.class, AgentCapabilities.class})
  static final class Agent {}

  @Command(
      name = "rotate-key",
      description = {
        "Move a principal to a new key; it keeps its id, chain and trust.",
        "An agent, a sponsor, an admin or the ledger (--as ledger) signs with its current key."
            + " Without the old key (it leaked), an agent's rotation is forced by its sponsor or"
            + " an admin, a sponsor's or an admin's by an admin; the ledger's only by itself. The"
            + " new key proves possession; from then on the old key signs nothing (KEY_RETIRED)."
      },
      mixinStandardHelpOptions = true)
  static final class RotateKey extends Publishing {
    @ArgGroup(exclusive = false, multiplicity = "1")
    SignerOptions signer;

    @Parameters(
        index = "0",
        arity = "0..1",
        description = "Whose key: a principal or ledger id. Default: the signer's own.")
    String principalId;

    @Option(
        names = "--new-key",
        required = true,
        description = "The new key's file (ledger keygen).")
    Path newKey;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    EventDraft draft() {
      String subject = principalId != null ? principalId : signer.signer().id();
      return Events.rotateKey(subject, newKey().publicKey(), reason);
    }

    @Override
    Signer signer() {
      return signer.signer();
    }

    @Override
    Ed25519PrivateKey newKey() {
      return KeyOptions.load(newKey, "new").key();
    }

    /** Once the ledger accepted the rotation, the new key file says whose key it is now. */
    @Override
    public Integer call() {
      String subject = principalId != null ? principalId : signer.signer().id();
      KeyKind kind =
          KeyKind.of(
              PrincipalIds.kindOf(subject)
                  .orElseThrow(
                      () -> new CliException(ExitCodes.USAGE, subject + " is not a principal id")));
      KeyOptions.require(newKey, kind, "--new-key");
      int code = super.call();
      if (code == ExitCodes.OK && !publish.noWait) {
        try {
          Map<String, String> labels = new java.util.LinkedHashMap<>();
          labels.put(KeyKind.KIND_LABEL, kind.label());
          labels.put(KeyKind.ID_LABEL, subject);
          KeyFiles.relabel(newKey, labels);
          if (!publish.json) {
            spec.commandLine().getOut().println(newKey + " now signs as " + subject);
          }
        } catch (java.io.IOException e) {
          throw new CliException(
              ExitCodes.ENVIRONMENT,
              "the rotation was accepted, but "
                  + newKey
                  + " could not be labeled with its id: "
                  + e.getMessage()
                  + "; sign with it using --id "
                  + subject);
        }
      }
      return code;
    }
  }

  /** Times as RFC 3339 (e.g. 2027-03-01T00:00:00Z) or epoch milliseconds. */
  static final class Times implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      if (value.matches("\\d{1,15}")) {
        return Long.parseLong(value);
      }
      try {
        return java.time.OffsetDateTime.parse(value).toInstant().toEpochMilli();
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is neither an RFC 3339 time (2027-03-01T00:00:00Z) nor epoch ms");
      }
    }
  }

  @Command(
      name = "report",
      description = "Report an agent's behaviour in one interaction.",
      mixinStandardHelpOptions = true)
  static final class Report extends Publishing {
    @ArgGroup(exclusive = false, multiplicity = "1")
    SignerOptions signer;

    @Parameters(index = "0", description = "The agent reported on.")
    String subject;

    @Option(
        names = "--interaction",
        required = true,
        description =
            "The interaction reported on (your id for it): one reporter counts one report per"
                + " interaction.")
    String interaction;

    @Option(names = "--rating", required = true, description = "0..100, 100 is best.")
    int rating;

    @Option(
        names = "--severity",
        defaultValue = "LOW",
        description = "LOW, MEDIUM, HIGH or CRITICAL.")
    Severity severity;

    @Option(
        names = "--category",
        defaultValue = "general",
        description = "What was rated, e.g. accuracy or latency. Default: ${DEFAULT-VALUE}")
    String category;

    @Override
    EventDraft draft() {
      return Events.report(subject, interaction, rating, severity, category);
    }

    @Override
    Signer signer() {
      return signer.signer();
    }
  }

  abstract static class StatusChange extends Publishing {
    @ArgGroup(exclusive = false, multiplicity = "1")
    SignerOptions signer;

    @Parameters(index = "0", description = "The agent id.")
    String subject;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    Signer signer() {
      return signer.signer();
    }
  }

  @Command(
      name = "suspend",
      description = "Suspend an agent (its sponsor, a parent agent or an admin signs).",
      mixinStandardHelpOptions = true)
  static final class Suspend extends StatusChange {
    @Override
    EventDraft draft() {
      return Events.suspend(subject, reason);
    }
  }

  @Command(
      name = "reinstate",
      description = "Reinstate a suspended agent.",
      mixinStandardHelpOptions = true)
  static final class Reinstate extends StatusChange {
    @Override
    EventDraft draft() {
      return Events.reinstate(subject, reason);
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke an agent and its sub-agents, for good.",
      mixinStandardHelpOptions = true)
  static final class Revoke extends StatusChange {
    @Option(names = "--no-cascade", description = "Leave sub-agents as they are.")
    boolean noCascade;

    @Override
    EventDraft draft() {
      return Events.revoke(subject, reason, !noCascade);
    }
  }
}
