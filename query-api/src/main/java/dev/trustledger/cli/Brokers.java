package dev.trustledger.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** How the CLI reaches a Kafka cluster: its client settings, and a check that it answers. */
final class Brokers {
  private Brokers() {}

  /**
   * Client settings for {@code bootstrap}: those of {@code kafkaConfig} (a properties file of Kafka
   * client settings such as {@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.*}, as
   * Kafka's own tools take with {@code --command-config}), or none, then the bootstrap servers.
   */
  static Map<String, Object> settings(String bootstrap, Path kafkaConfig) {
    Map<String, Object> out = new HashMap<>();
    if (kafkaConfig != null) {
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(kafkaConfig)) {
        props.load(in);
      } catch (NoSuchFileException e) {
        throw new CliException(
            ExitCodes.NOT_FOUND, "Kafka client configuration " + kafkaConfig + " does not exist");
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.ENVIRONMENT, "cannot read " + kafkaConfig + ": " + e.getMessage());
      }
      props.forEach((k, v) -> out.put(k.toString(), v));
    }
    out.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return out;
  }

  static void requireReachable(Map<String, Object> settings, int timeoutSeconds) {
    Map<String, Object> admin = new HashMap<>(settings);
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    try (Admin client = Admin.create(admin)) {
      client.describeCluster().nodes().get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "Kafka at "
              + settings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
              + " is unreachable within "
              + timeoutSeconds
              + " s");
    }
  }
}
