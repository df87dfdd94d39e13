package dev.trustledger.cli;

import dev.trustledger.node.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One Kafka server (KRaft broker and controller) of a development cluster, from Kafka's own server
 * artifacts: what {@code deploy/local-cluster} starts three of. Needs the distribution's {@code
 * lib/dev}, which {@code bin/ledger} adds for this command and {@code dev}.
 */
@Command(
    name = "broker",
    description =
        "Run one Kafka server (KRaft broker + controller) of a development cluster; three of them"
            + " with --voters and --cluster-id make a replicated cluster (deploy/local-cluster).",
    mixinStandardHelpOptions = true)
final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", required = true, description = "This server's Kafka data.")
  Path dataDir;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on and advertise. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--controller-port",
      defaultValue = "-1",
      description = "KRaft controller port. Default: the client port + 1.")
  int controllerPort;

  @Option(
      names = "--node-id",
      defaultValue = "1",
      description = "This server's node id, one of --voters. Default: ${DEFAULT-VALUE}")
  int nodeId;

  @Option(
      names = "--voters",
      description =
          "The controller quorum, id@host:controller-port,... (the same on every server)."
              + " Default: this server alone.")
  String voters;

  @Option(
      names = "--cluster-id",
      description =
          "The cluster id every server formats with (22 base64url characters, a Kafka UUID);"
              + " required with more than one voter. Default: a new one (one server only).")
  String clusterId;

  @Option(
      names = "--replication-factor",
      defaultValue = "-1",
      description =
          "Replication of new and internal topics; min.insync.replicas is one less."
              + " Default: the number of voters, at most 3.")
  int replicationFactor;

  @Override
  public Integer call() throws Exception {
    int controller = controllerPort < 0 ? port + 1 : controllerPort;
    String quorum = voters == null ? nodeId + "@" + host + ":" + controller : voters;
    int voterCount = quorum.split(",").length;
    if (voterCount > 1 && clusterId == null) {
      throw new CliException(ExitCodes.USAGE, "--cluster-id is required with more than one voter");
    }
    int replication = replicationFactor < 1 ? Math.min(3, voterCount) : replicationFactor;
    EmbeddedKafka.Settings settings;
    try {
      settings =
          new EmbeddedKafka.Settings(
              dataDir, host, port, controller, nodeId, quorum, clusterId, replication);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    // SIGTERM: a controlled shutdown (leadership moves to the other servers) before the JVM ends.
    StopSignal stop = StopSignal.install(60);
    try (EmbeddedKafka kafka = start(settings)) {
      spec.commandLine()
          .getOut()
          .println(
              "kafka broker "
                  + nodeId
                  + " on "
                  + kafka.bootstrapServers()
                  + " (cluster "
                  + kafka.clusterId()
                  + ", replication "
                  + replication
                  + ")");
      spec.commandLine().getOut().flush();
      stop.await();
    } finally {
      stop.closed();
    }
    return ExitCodes.OK;
  }

  /** Starts the server; a distribution without {@code lib/dev} has no broker to start. */
  static EmbeddedKafka start(EmbeddedKafka.Settings settings) {
    try {
      return EmbeddedKafka.start(settings);
    } catch (NoClassDefFoundError e) {
      throw missingBroker(e);
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.ENVIRONMENT, e.getMessage());
    }
  }

  static CliException missingBroker(NoClassDefFoundError e) {
    return new CliException(
        ExitCodes.ENVIRONMENT,
        "the embedded Kafka broker is not on the classpath ("
            + e.getMessage()
            + "); run bin/ledger of a distribution that has lib/dev");
  }
}
