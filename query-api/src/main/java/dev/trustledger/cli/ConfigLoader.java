package dev.trustledger.cli;

import dev.trustledger.ledger.config.LedgerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds a {@link LedgerConfig} from a properties file, then environment variables ({@code LEDGER_}
 * + the key in capitals with dots as underscores, e.g. {@code LEDGER_BOOTSTRAP_SERVERS}), then
 * explicit overrides. Kafka client settings come as {@code kafka.<setting>} keys, or from the
 * environment as {@code LEDGER_KAFKA_<SETTING>}. The only place that reads the environment.
 */
final class ConfigLoader {
  static final String ENV_PREFIX = "LEDGER_";

  private ConfigLoader() {}

  static LedgerConfig load(Path file, Map<String, String> env, Map<String, Object> overrides) {
    Map<String, Object> values = new HashMap<>();
    if (file != null) {
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        props.load(in);
      } catch (NoSuchFileException e) {
        throw new CliException(
            ExitCodes.NOT_FOUND, "configuration file " + file + " does not exist");
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.ENVIRONMENT, "cannot read " + file + ": " + e.getMessage());
      }
      props.forEach((k, v) -> values.put(k.toString(), v));
    }
    for (String key : LedgerConfig.DEFINITION.names()) {
      String value = env.get(envName(key));
      if (value != null) {
        values.put(key, value);
      }
    }
    // Kafka client settings: LEDGER_KAFKA_SASL_JAAS_CONFIG is kafka.sasl.jaas.config.
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX + "KAFKA_")) {
            values.put(
                LedgerConfig.KAFKA_CLIENT_PREFIX
                    + name.substring(ENV_PREFIX.length() + 6)
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.'),
                value);
          }
        });
    values.putAll(overrides);
    try {
      return new LedgerConfig(values);
    } catch (ConfigException e) {
      throw new CliException(ExitCodes.ENVIRONMENT, "invalid configuration: " + e.getMessage());
    }
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
