package dev.trustledger.cli;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Checks that a Kafka cluster answers before a command relies on it. */
final class Brokers {
  private Brokers() {}

  static void requireReachable(String bootstrap, int timeoutSeconds) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000))) {
      admin.describeCluster().nodes().get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "Kafka at " + bootstrap + " is unreachable within " + timeoutSeconds + " s");
    }
  }
}
