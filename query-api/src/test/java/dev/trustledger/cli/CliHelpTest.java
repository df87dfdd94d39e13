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
  void shellCompletionIsGenerated() {
    Run r = run("generate-completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("complete -F").contains("rotate-key");
  }
}
