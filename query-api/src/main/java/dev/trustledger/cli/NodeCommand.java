package dev.trustledger.cli;

import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.node.LedgerNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a node against an existing Kafka cluster (and schema registry). */
@Command(
    name = "node",
    description = "Run a ledger node (Streams + HTTP API) against an existing Kafka cluster.",
    mixinStandardHelpOptions = true)
final class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      description =
          "Properties file; every key can also come from LEDGER_<KEY> environment variables.")
  Path config;

  @Option(
      names = "--help-config",
      description = "Print every configuration key with its default and documentation.")
  boolean helpConfig;

  @Option(
      names = "--config-template",
      description =
          "Print a properties file with every configuration key, its documentation and its"
              + " default (the distribution's config/ledger.properties).")
  boolean configTemplate;

  @Option(
      names = "--role",
      description =
          "full: run the ledger's topology and answer reads; reader: answer reads only, from the"
              + " replicated read model (overrides node.role).")
  String role;

  @Override
  public Integer call() throws Exception {
    if (helpConfig) {
      spec.commandLine().getOut().println(LedgerConfig.documentation());
      return ExitCodes.OK;
    }
    if (configTemplate) {
      spec.commandLine().getOut().print(LedgerConfig.propertiesTemplate());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    LedgerConfig cfg =
        ConfigLoader.load(
            config,
            System.getenv(),
            role == null ? Map.of() : Map.of(LedgerConfig.NODE_ROLE_CONFIG, role));
    String keyFile = cfg.getString(LedgerConfig.LEDGER_KEY_FILE_CONFIG);
    if (keyFile.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, LedgerConfig.LEDGER_KEY_FILE_CONFIG + " is required");
    }
    var ledgerKey =
        KeyOptions.require(Path.of(keyFile), KeyKind.LEDGER, LedgerConfig.LEDGER_KEY_FILE_CONFIG)
            .key();
    Brokers.requireReachable(cfg.kafkaClientSettings(), 15);
    // SIGTERM: stop, and keep the JVM up until the node has left the group and closed.
    StopSignal stop = StopSignal.install(40);
    try (LedgerNode node = LedgerNode.start(cfg, ledgerKey)) {
      spec.commandLine()
          .getOut()
          .println(
              "ledger node on "
                  + node.url()
                  + " ("
                  + cfg.role().name().toLowerCase(java.util.Locale.ROOT)
                  + ")");
      spec.commandLine().getOut().flush();
      while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
        if (node.fatalError().isPresent()) {
          throw new CliException(ExitCodes.ENVIRONMENT, node.fatalError().get());
        }
      }
    } finally {
      stop.closed();
    }
    return ExitCodes.OK;
  }
}
