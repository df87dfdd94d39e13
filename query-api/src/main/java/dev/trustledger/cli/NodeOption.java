package dev.trustledger.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The node a command asks: {@code --url}, else the CLI's configuration ({@link CliConfig}). */
final class NodeOption {
  static final String DESCRIPTION =
      "Ledger node: a URL or host:port. Default: $LEDGER_URL, else 'url' in cli.properties"
          + " (./.ledger/cli.properties, which 'ledger dev' writes), else "
          + CliConfig.DEFAULT_URL
          + ".";

  @Option(names = "--url", paramLabel = "URL", description = DESCRIPTION)
  String url;

  String url() {
    return CliConfig.current().url(url);
  }

  HttpLedger http(Duration timeout) {
    return new HttpLedger(url(), timeout);
  }
}
