package dev.trustledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The CLI explains itself: every option and parameter has help text, and errors say what to do. */
class CliHelpTest {
  private static List<CommandLine> all(CommandLine cli) {
    List<CommandLine> out = new ArrayList<>();
    out.add(cli);
    cli.getSubcommands().values().forEach(c -> out.addAll(all(c)));
    return out;
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = LedgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void everyOptionAndParameterHasHelpText() {
    List<String> missing = new ArrayList<>();
    for (CommandLine c : all(LedgerCli.commandLine())) {
      String name = c.getCommandSpec().qualifiedName();
      for (OptionSpec o : c.getCommandSpec().options()) {
        if (String.join("", o.description()).isBlank()) {
          missing.add(name + " " + o.longestName());
        }
      }
      for (PositionalParamSpec p : c.getCommandSpec().positionalParameters()) {
        if (String.join("", p.description()).isBlank()) {
          missing.add(name + " " + p.paramLabel());
        }
      }
    }
    assertThat(missing).as("options without help text").isEmpty();
  }

  @Test
  void everyCommandsHelpListsTheExitCodes() {
    for (CommandLine c : all(LedgerCli.commandLine())) {
      assertThat(c.getUsageMessage())
          .as(c.getCommandSpec().qualifiedName())
          .contains("Exit codes:");
    }
  }

  @Test
  void aMistypedOptionIsNamedWithWhatItMayMean() {
    Run r = run("report", "agt_x", "--key", "k", "--interction", "c1", "--rating", "9");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("unknown option --interction")
        .contains("--interaction")
        .contains("ledger report --help");
  }

  @Test
  void aNodeIsGivenAsHostAndPort() {
    assertThat(CliConfig.normalize("localhost:38080")).isEqualTo("http://localhost:38080");
    assertThat(CliConfig.normalize(":38080")).isEqualTo("http://127.0.0.1:38080");
    assertThat(CliConfig.normalize("https://ledger.example/")).isEqualTo("https://ledger.example");
  }

  @Test
  void aBadNodeUrlIsAUsageError() {
    Run r = run("status", "agt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--url", "ftp://x");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("not a node URL");
  }

  @Test
  void everyCommandThatAnswersHasJsonOutput() {
    java.util.Set<String> servers =
        java.util.Set.of(
            "ledger",
            "ledger dev",
            "ledger node",
            "ledger broker",
            "ledger witness",
            "ledger generate-completion");
    List<String> missing = new ArrayList<>();
    for (CommandLine c : all(LedgerCli.commandLine())) {
      String name = c.getCommandSpec().qualifiedName();
      boolean group = !c.getSubcommands().isEmpty();
      if (!servers.contains(name) && !group && c.getCommandSpec().findOption("--json") == null) {
        missing.add(name);
      }
    }
    assertThat(missing).as("commands without --json").isEmpty();
  }

  @Test
  void aKeyOfTheWrongKindIsRefusedNamingTheFileAndTheKind(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String agentKey = dir.resolve("bot.key").toString();
    String sponsorKey = dir.resolve("acme.key").toString();
    assertThat(run("keygen", "--kind", "agent", "--out", agentKey).exit()).isZero();
    assertThat(run("keygen", "--kind", "sponsor", "--out", sponsorKey).exit()).isZero();
    Run wrong =
        run(
            "agent",
            "register",
            "--sponsor-key",
            agentKey,
            "--agent-key",
            sponsorKey,
            "--name",
            "x",
            "--url",
            "127.0.0.1:1");
    assertThat(wrong.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrong.err())
        .contains(agentKey + " is an agent key; --sponsor-key needs a sponsor key");
    Run sign = run("sign-message", "--key", sponsorKey, "--message", "hi");
    assertThat(sign.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(sign.err()).contains("is a sponsor key; sign-message --key needs an agent key");
    // Without --as, a report is signed in the role the key file names.
    Run asAgent =
        run(
            "report",
            "agt_" + "a".repeat(32),
            "--key",
            agentKey,
            "--interaction",
            "i",
            "--rating",
            "9",
            "--url",
            "127.0.0.1:1",
            "--timeout",
            "2");
    assertThat(asAgent.exit()).isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void theNodeComesFromTheFlagTheEnvironmentOrTheConfigFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path home = dir.resolve("home");
    java.nio.file.Path work = dir.resolve("work");
    java.nio.file.Files.createDirectories(work.resolve(".ledger"));
    java.nio.file.Files.createDirectories(home);
    assertThat(CliConfig.load(java.util.Map.of(), work, home).url(null))
        .isEqualTo(CliConfig.DEFAULT_URL);
    java.nio.file.Files.writeString(
        work.resolve(".ledger").resolve("cli.properties"),
        "url=http://127.0.0.1:38080\nbootstrap=127.0.0.1:39092\nledger.key=keys/ledger.key.pub\n");
    CliConfig fromFile = CliConfig.load(java.util.Map.of(), work, home);
    assertThat(fromFile.url(null)).isEqualTo("http://127.0.0.1:38080");
    assertThat(fromFile.bootstrap(null)).contains("127.0.0.1:39092");
    assertThat(fromFile.ledgerKey())
        .contains(work.resolve(".ledger").resolve("keys/ledger.key.pub").toString());
    CliConfig fromEnv =
        CliConfig.load(java.util.Map.of("LEDGER_URL", "localhost:9999"), work, home);
    assertThat(fromEnv.url(null)).isEqualTo("http://localhost:9999");
    assertThat(fromEnv.url(":7000")).isEqualTo("http://127.0.0.1:7000");
  }

  @Test
  void shellCompletionIsGenerated() {
    Run r = run("generate-completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("complete -F").contains("rotate-key");
  }
}
