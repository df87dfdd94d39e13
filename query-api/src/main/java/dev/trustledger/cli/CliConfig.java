package dev.trustledger.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the CLI finds a ledger when a command does not say: the {@code LEDGER_URL} environment
 * variable for the node, then a {@code cli.properties} file ({@code LEDGER_CLI_CONFIG}, else {@code
 * ./.ledger/cli.properties}, which {@code ledger dev} writes, else {@code
 * ~/.config/trustledger/cli.properties}) with the keys {@code url}, {@code bootstrap} and {@code
 * ledger.key}; then the defaults. A node URL may be given as {@code host:port} or {@code :port}.
 */
final class CliConfig {
  static final String FILE = "cli.properties";
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  static final String URL = "url";
  static final String BOOTSTRAP = "bootstrap";
  static final String LEDGER_KEY = "ledger.key";

  private final Properties props;
  private final Path source;
  private final Map<String, String> env;

  private CliConfig(Properties props, Path source, Map<String, String> env) {
    this.props = props;
    this.source = source;
    this.env = env;
  }

  /** The configuration of this process: its environment and the first config file found. */
  static CliConfig current() {
    return load(System.getenv(), Path.of(""), Path.of(System.getProperty("user.home", ".")));
  }

  static CliConfig load(Map<String, String> env, Path workingDir, Path home) {
    Path explicit =
        env.containsKey("LEDGER_CLI_CONFIG")
            ? Path.of(env.get("LEDGER_CLI_CONFIG")).toAbsolutePath()
            : null;
    if (explicit != null && !Files.isRegularFile(explicit)) {
      throw new CliException(
          ExitCodes.ENVIRONMENT, "LEDGER_CLI_CONFIG names " + explicit + ", which does not exist");
    }
    for (Path candidate :
        new Path[] {
          explicit,
          workingDir.resolve(".ledger").resolve(FILE).toAbsolutePath(),
          home.resolve(".config").resolve("trustledger").resolve(FILE).toAbsolutePath()
        }) {
      if (candidate != null && Files.isRegularFile(candidate)) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(candidate)) {
          p.load(in);
        } catch (IOException e) {
          throw new CliException(
              ExitCodes.ENVIRONMENT, "cannot read " + candidate + ": " + e.getMessage());
        }
        return new CliConfig(p, candidate, env);
      }
    }
    return new CliConfig(new Properties(), null, env);
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(props.getProperty(key)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** The node URL: {@code given}, else {@code LEDGER_URL}, else the config file's, else default. */
  String url(String given) {
    if (given != null) {
      return normalize(given);
    }
    String fromEnv = env.get("LEDGER_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return normalize(fromEnv);
    }
    return normalize(get(URL).orElse(DEFAULT_URL));
  }

  /** Kafka's bootstrap servers: {@code given}, else {@code LEDGER_BOOTSTRAP}, else the file's. */
  Optional<String> bootstrap(String given) {
    if (given != null) {
      return Optional.of(given);
    }
    String fromEnv = env.get("LEDGER_BOOTSTRAP");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv);
    }
    return get(BOOTSTRAP);
  }

  /** The ledger's public key file the config names, resolved against the file's folder. */
  Optional<String> ledgerKey() {
    return get(LEDGER_KEY)
        .map(
            k ->
                source == null || Path.of(k).isAbsolute()
                    ? k
                    : source.getParent().resolve(k).toString());
  }

  /** {@code http://host:port} from {@code host:port}, {@code :port} or a URL. */
  static String normalize(String url) {
    String u = url.trim();
    if (u.startsWith(":")) {
      u = "127.0.0.1" + u;
    }
    if (!u.contains("://")) {
      u = "http://" + u;
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "'" + url + "' is not a node URL: " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "'" + url + "' is not a node URL (want http://host:port, https://host or host:port)");
    }
    return u;
  }
}
