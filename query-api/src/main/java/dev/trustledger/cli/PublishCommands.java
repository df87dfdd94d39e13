package dev.trustledger.cli;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.Severity;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.EventDraft;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
        defaultValue = "sponsor",
        description = "Role of the signer: admin, sponsor or agent. Default: ${DEFAULT-VALUE}")
    String role;

    Signer signer() {
      PrincipalKind kind;
      try {
        kind = PrincipalKind.valueOf(role.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.USAGE, "--as must be admin, sponsor or agent, not " + role);
      }
      return new Signer(kind, KeyOptions.read(key, role));
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

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--contact", required = true)
    String contact;

    @Override
    EventDraft draft() {
      return Events.registerSponsor(newKey().publicKey(), name, contact);
    }

    @Override
    Signer signer() {
      return Signer.admin(KeyOptions.read(adminKey, "admin"));
    }

    @Override
    Ed25519PrivateKey newKey() {
      return KeyOptions.read(sponsorKey, "sponsor");
    }
  }

  @Command(
      name = "revoke",
      description = "An admin revokes a sponsor and every agent it answers for.",
      mixinStandardHelpOptions = true)
  static final class SponsorRevoke extends Publishing {
    @Option(names = "--admin-key", required = true)
    Path adminKey;

    @Parameters(index = "0", description = "The sponsor id.")
    String sponsorId;

    @Option(names = "--reason", defaultValue = "")
    String reason;

    @Override
    EventDraft draft() {
      return Events.revokeSponsor(sponsorId, reason);
    }

    @Override
    Signer signer() {
      return Signer.admin(KeyOptions.read(adminKey, "admin"));
    }
  }

  @Command(
      name = "sponsor",
      description = "Register or revoke sponsors.",
      mixinStandardHelpOptions = true,
      subcommands = {SponsorRegister.class, SponsorRevoke.class})
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

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--capability", description = "A capability (repeatable).")
    List<String> capabilities = List.of();

    @Option(names = "--wallet")
    String wallet;

    @Option(
        names = "--expires-at",
        description = "Epoch milliseconds after which the agent is expired.")
    Long expiresAt;

    @Override
    EventDraft draft() {
      String sponsor = sponsorId;
      if (sponsor == null) {
        if (sponsorKey == null) {
          throw new CliException(
              ExitCodes.USAGE, "give --sponsor-key, or --sponsor with --parent-key");
        }
        sponsor = Signer.sponsor(KeyOptions.read(sponsorKey, "sponsor")).id();
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
        registration.parent(Signer.agent(KeyOptions.read(parentKey, "parent agent")).id());
      }
      return registration.draft();
    }

    @Override
    Signer signer() {
      return parentKey != null
          ? Signer.agent(KeyOptions.read(parentKey, "parent agent"))
          : Signer.sponsor(KeyOptions.read(sponsorKey, "sponsor"));
    }

    @Override
    Ed25519PrivateKey newKey() {
      return KeyOptions.read(agentKey, "agent");
    }
  }

  @Command(
      name = "agent",
      description = "Register agents.",
      mixinStandardHelpOptions = true,
      subcommands = {AgentRegister.class})
  static final class Agent {}

  @Command(
      name = "report",
      description = "Report an agent's behaviour in one interaction.",
      mixinStandardHelpOptions = true)
  static final class Report extends Publishing {
    @ArgGroup(exclusive = false, multiplicity = "1")
    SignerOptions signer;

    @Parameters(index = "0", description = "The agent reported on.")
    String subject;

    @Option(names = "--interaction", required = true)
    String interaction;

    @Option(names = "--rating", required = true, description = "0..100, 100 is best.")
    int rating;

    @Option(
        names = "--severity",
        defaultValue = "LOW",
        description = "LOW, MEDIUM, HIGH or CRITICAL.")
    Severity severity;

    @Option(names = "--category", defaultValue = "general")
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

    @Option(names = "--reason", defaultValue = "")
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
