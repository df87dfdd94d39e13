package dev.trustledger.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ledger} command. */
@Command(
    name = "ledger",
    description = "Trust Ledger: identity and trust registry for AI agents.",
    mixinStandardHelpOptions = true,
    version = "ledger 0.1.0",
    subcommands = {
      DevCommand.class,
      NodeCommand.class,
      BrokerCommand.class,
      QueryCommands.Keygen.class,
      PublishCommands.Sponsor.class,
      PublishCommands.Agent.class,
      PublishCommands.Report.class,
      PublishCommands.Suspend.class,
      PublishCommands.Reinstate.class,
      PublishCommands.Revoke.class,
      PublishCommands.RotateKey.class,
      QueryCommands.Status.class,
      QueryCommands.Verify.class,
      QueryCommands.SignMessage.class,
      AuditCommands.Audit.class,
      AuditCommands.Export.class,
      LogCommands.WitnessCommand.class,
      LogCommands.VerifyReceipt.class,
      LogCommands.Proof.class,
      LogCommands.CheckpointCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class LedgerCli implements Callable<Integer> {
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return ExitCodes.USAGE;
  }

  /** What every command's exit code means, in every command's help. */
  static final java.util.Map<String, String> EXIT_CODES =
      new java.util.LinkedHashMap<>(
          java.util.Map.of(
              "0",
              "done: accepted, trusted, verified",
              "1",
              "the answer is no: rejected, refused (422), not trusted, audit problems",
              "2",
              "usage: a missing or unknown option, a bad value",
              "3",
              "unreachable: the node or Kafka did not answer, or no decision in time",
              "4",
              "not found: no such agent, sponsor or file",
              "5",
              "environment: a key file, a port or a setting stands in the way"));

  /** A command line with the project's error handling: clear messages, no stack traces. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LedgerCli());
    java.util.Map<String, String> codes = new java.util.TreeMap<>(EXIT_CODES);
    for (CommandLine c : all(cli)) {
      c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }
    cli.setParameterExceptionHandler(LedgerCli::usageError);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof CliException c) {
            cmd.getErr().println("ledger: " + c.getMessage());
            return c.exitCode();
          }
          cmd.getErr().println("ledger: " + e);
          return ExitCodes.ENVIRONMENT;
        });
    return cli;
  }

  private static java.util.List<CommandLine> all(CommandLine cli) {
    java.util.List<CommandLine> out = new java.util.ArrayList<>();
    out.add(cli);
    cli.getSubcommands().values().forEach(c -> out.addAll(all(c)));
    return out;
  }

  /**
   * A usage error in a few lines: what is wrong, an unknown option with the options it may have
   * meant (even when a required option is also missing: the typo is usually why), and where help
   * is.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    java.util.List<String> unknown =
        java.util.Arrays.stream(args)
            .filter(a -> a.startsWith("--"))
            .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
            .filter(a -> !cmd.getCommandSpec().optionsMap().containsKey(a))
            .toList();
    if (!unknown.isEmpty() && !(e instanceof CommandLine.UnmatchedArgumentException)) {
      err.println("ledger: unknown option " + unknown.get(0));
      CommandLine.UnmatchedArgumentException.printSuggestions(
          new CommandLine.UnmatchedArgumentException(cmd, java.util.List.of(unknown.get(0))), err);
    } else {
      err.println("ledger: " + e.getMessage());
      if (e instanceof CommandLine.UnmatchedArgumentException u) {
        CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
      }
    }
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
