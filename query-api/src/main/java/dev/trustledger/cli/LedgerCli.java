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
      LogCommands.CheckpointCommand.class
    })
public final class LedgerCli implements Callable<Integer> {
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return ExitCodes.USAGE;
  }

  /** A command line with the project's error handling: clear messages, no stack traces. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LedgerCli());
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

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
