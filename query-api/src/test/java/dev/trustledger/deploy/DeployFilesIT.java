package dev.trustledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.trustledger.cli.LedgerCli;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.testkit.KafkaCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of deploy/ on a machine without a container engine: the compose file with
 * {@code docker-compose config}; the Kubernetes manifests parsed, with their probes, volumes and
 * services; every configuration key and LEDGER_ variable in any of them against {@code ledger node
 * --help-config}; the image's entrypoint and command run from the unpacked distribution against a
 * real broker until its HEALTHCHECK passes; and every metric the alerts and the dashboard use, on
 * that node's /metrics.
 */
class DeployFilesIT {
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Set<String> keys;

  @BeforeAll
  static void validKeys() {
    StringWriter out = new StringWriter();
    int exit =
        LedgerCli.commandLine().setOut(new PrintWriter(out, true)).execute("node", "--help-config");
    assertThat(exit).isZero();
    keys = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^``([a-z0-9.]+)``$").matcher(out.toString());
    while (m.find()) {
      keys.add(m.group(1));
    }
    assertThat(keys).contains("bootstrap.servers", "node.id", "schema.registry.url");
  }

  @Test
  void composeFileIsValid() throws Exception {
    boolean required = "1".equals(System.getenv("TRUSTLEDGER_CI"));
    boolean present =
        new ProcessBuilder("sh", "-c", "command -v docker-compose").start().waitFor() == 0;
    if (!present) {
      assertThat(required).as("docker-compose is required here (TRUSTLEDGER_CI=1)").isFalse();
      Assumptions.abort("docker-compose is not installed");
    }
    Process p =
        new ProcessBuilder(
                "docker-compose", "-f", DEPLOY.resolve("compose.yaml").toString(), "config", "-q")
            .directory(DEPLOY.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
    JsonNode services = compose.path("services");
    List<String> kafka = new ArrayList<>();
    services
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (n.startsWith("kafka-")) {
                kafka.add(n);
              }
            });
    assertThat(kafka).hasSize(3);
    assertThat(services.has("schema-registry")).isTrue();
    assertThat(services.has("ledger-1")).isTrue();
    assertThat(services.has("ledger-2")).isTrue();
    assertThat(services.has("prometheus")).isTrue();
    assertThat(services.has("grafana")).isTrue();
    String text = Files.readString(DEPLOY.resolve("compose.yaml"));
    assertThat(text)
        .contains("KAFKA_DEFAULT_REPLICATION_FACTOR: 3")
        .contains("KAFKA_MIN_INSYNC_REPLICAS: 2")
        .contains("LEDGER_TOPICS_REPLICATION_FACTOR")
        .contains("apache/kafka:4.1");
  }

  /**
   * Prometheus' and Kubernetes' own checkers, where installed (this machine has them; CI installs
   * neither, and the structural checks here and the metrics check below run everywhere).
   */
  @Test
  void promtoolAndKubectlAcceptTheFilesWhereInstalled() throws Exception {
    List<List<String>> checks = new ArrayList<>();
    if (installed("promtool")) {
      checks.add(
          List.of(
              "promtool", "check", "rules", DEPLOY.resolve("prometheus/alerts.yml").toString()));
      checks.add(
          List.of(
              "promtool",
              "check",
              "config",
              DEPLOY.resolve("prometheus/prometheus.yml").toString()));
    }
    if (installed("kubectl")) {
      checks.add(List.of("kubectl", "kustomize", DEPLOY.resolve("k8s").toString()));
    }
    Assumptions.assumeFalse(checks.isEmpty(), "neither promtool nor kubectl is installed");
    for (List<String> check : checks) {
      Process p =
          new ProcessBuilder(check)
              .directory(DEPLOY.resolve("prometheus").toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", check) + "\n" + out).isZero();
    }
  }

  private static boolean installed(String tool) throws Exception {
    return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
  }

  @Test
  void kubernetesManifestsHaveProbesStateVolumesAndAHeadlessService() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    JsonNode kustomization = YAML.readTree(DEPLOY.resolve("k8s/kustomization.yaml").toFile());
    for (JsonNode resource : kustomization.path("resources")) {
      Path file = DEPLOY.resolve("k8s").resolve(resource.asText());
      assertThat(file).as("kustomization resource").exists();
      docs.addAll(readAll(file));
    }
    JsonNode statefulSet = only(docs, "StatefulSet");
    JsonNode headless =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("Service"))
            .filter(d -> d.path("spec").path("clusterIP").asText().equals("None"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no headless Service"));
    assertThat(statefulSet.path("spec").path("serviceName").asText())
        .isEqualTo(headless.path("metadata").path("name").asText());
    assertThat(statefulSet.path("spec").path("volumeClaimTemplates")).isNotEmpty();
    JsonNode pod = statefulSet.path("spec").path("template").path("spec");
    JsonNode node = pod.path("containers").get(0);
    assertThat(node.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(node.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("volumes").findValues("secret")).as("keys from a Secret").isNotEmpty();
    assertThat(only(docs, "PodDisruptionBudget").path("spec").has("maxUnavailable")).isTrue();
    // The ConfigMap's properties: only keys the node knows.
    JsonNode configMap = only(docs, "ConfigMap");
    assertKnownKeys(
        "configmap.yaml", properties(configMap.path("data").path("ledger.properties").asText()));
  }

  @Test
  void everyKeyAndVariableInTheDeployFilesIsOneTheNodeKnows() throws Exception {
    assertKnownKeys(
        "container/ledger.properties",
        properties(Files.readString(DEPLOY.resolve("container/ledger.properties"))));
    assertKnownKeys(
        "ledger.properties.example",
        properties(Files.readString(DEPLOY.resolve("ledger.properties.example"))));
    Set<String> variables = new TreeSet<>();
    for (Path file : List.of(DEPLOY.resolve("compose.yaml"))) {
      readAll(file).forEach(doc -> collectVariables(doc, variables));
    }
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        readAll(file).forEach(doc -> collectVariables(doc, variables));
      }
    }
    Matcher dockerEnv =
        Pattern.compile("\\b(LEDGER_[A-Z0-9_]+)=")
            .matcher(Files.readString(DEPLOY.resolve("Dockerfile")));
    while (dockerEnv.find()) {
      variables.add(dockerEnv.group(1));
    }
    assertThat(variables).contains("LEDGER_BOOTSTRAP_SERVERS", "LEDGER_NODE_ID");
    List<String> unknown = new ArrayList<>();
    for (String v : variables) {
      if (v.equals("LEDGER_JAVA_OPTS") || v.startsWith("LEDGER_KAFKA_")) {
        continue;
      }
      String key = v.substring("LEDGER_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
      if (!keys.contains(key)) {
        unknown.add(v);
      }
    }
    assertThat(unknown).as("LEDGER_ variables that name no configuration key").isEmpty();
  }

  @Test
  void theImagesEntrypointRunsFromTheDistributionUntilItsHealthCheckPasses() throws Exception {
    Path dist = unpackDistribution();
    assertThat(jarNames(dist.resolve("lib")))
        .as("the node's classpath has no broker")
        .noneMatch(
            n ->
                n.startsWith("kafka_2.13")
                    || n.startsWith("kafka-server")
                    || n.startsWith("kafka-raft")
                    || n.startsWith("scala-library"))
        .anyMatch(n -> n.startsWith("kafka-streams"));
    assertThat(jarNames(dist.resolve("lib/dev"))).anyMatch(n -> n.startsWith("kafka_2.13"));
    assertThat(dist.resolve("config/ledger.properties")).exists();
    assertThat(dist.resolve("THIRD-PARTY.txt")).exists();

    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    List<String> command = new ArrayList<>(jsonArray(dockerfile, "ENTRYPOINT"));
    command.addAll(jsonArray(dockerfile, "CMD"));
    command.replaceAll(
        a ->
            a.replace("/opt/trustledger", dist.toString())
                .replace(
                    "/etc/trustledger/ledger.properties",
                    DEPLOY.resolve("container/ledger.properties").toString()));
    assertThat(command.get(0)).isEqualTo(dist.resolve("bin/ledger").toString());

    Path dir = Files.createTempDirectory("deploy-files");
    Ed25519PrivateKey ledgerKey = Ed25519PrivateKey.generate();
    KeyFiles.writePrivateKey(dir.resolve("ledger.key"), ledgerKey, Map.of("Kind", "ledger"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("node.log").toFile());
      Map<String, String> env = pb.environment();
      // What the image and compose set, pointed at this machine: one broker, loopback, a
      // temporary state directory and key.
      env.put("LEDGER_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
      env.put("LEDGER_LEDGER_KEY_FILE", dir.resolve("ledger.key").toString());
      env.put(
          "LEDGER_ADMIN_PUBLIC_KEYS",
          Base64Url.encode(Ed25519PrivateKey.generate().publicKey().raw()));
      env.put("LEDGER_STATE_DIR", dir.resolve("state").toString());
      env.put("LEDGER_HTTP_HOST", "127.0.0.1");
      env.put("LEDGER_HTTP_PORT", Integer.toString(port));
      env.put("LEDGER_TOPICS_REPLICATION_FACTOR", "1");
      env.put("LEDGER_TOPICS_MIN_INSYNC_REPLICAS", "1");
      env.put("LEDGER_JAVA_OPTS", "-Xmx384m");
      Process node = pb.start();
      try {
        String healthcheck = shellCommand(dockerfile, "HEALTHCHECK");
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  assertThat(node.isAlive()).as(Files.readString(dir.resolve("node.log"))).isTrue();
                  ProcessBuilder check = new ProcessBuilder("sh", "-c", healthcheck);
                  check.environment().put("LEDGER_HTTP_PORT", Integer.toString(port));
                  return check.start().waitFor() == 0;
                });
        String metrics =
            await()
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () -> get("http://127.0.0.1:" + port + "/metrics"),
                    m ->
                        Pattern.compile("(?m)^ledger_stage_lag_records\\{stage=\"sequencer\"} \\d")
                            .matcher(m)
                            .find());
        assertMetricsExist(metrics);
      } finally {
        node.destroy(); // SIGTERM, as a container stop sends
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      }
    }
  }

  /** Every ledger_ metric the alert rules and the dashboard query is one the node exposes. */
  private static void assertMetricsExist(String exposition) throws IOException {
    Set<String> exposed = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exposed.add(line.split("[{ ]", 2)[0]);
      }
    }
    Set<String> used = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b(ledger_[a-z_]+)");
    JsonNode rules = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    String operations = Files.readString(DOCS.resolve("operations.md"));
    for (JsonNode rule : rules.findValues("rules").stream().flatMap(r -> stream(r)).toList()) {
      Matcher m = metric.matcher(rule.path("expr").asText());
      while (m.find()) {
        used.add(m.group(1));
      }
      String runbook = rule.path("annotations").path("runbook").asText();
      assertThat(runbook).as(rule.path("alert").asText()).startsWith("docs/operations.md#");
      assertThat(operations)
          .contains("<a id=\"" + runbook.substring(runbook.indexOf('#') + 1) + "\"></a>");
      assertThat(rule.has("for")).as(rule.path("alert").asText() + " has a for").isTrue();
    }
    JsonNode dashboard =
        JSON.readTree(DEPLOY.resolve("grafana/dashboards/trustledger.json").toFile());
    for (JsonNode expr : dashboard.findValues("expr")) {
      Matcher m = metric.matcher(expr.asText());
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertThat(used).isNotEmpty();
    // Witness metrics have one series per configured witness; this node has none.
    List<String> missing =
        used.stream()
            .filter(u -> !exposed.contains(u))
            .filter(u -> !u.startsWith("ledger_witness_"))
            .toList();
    assertThat(missing).as("metrics used in deploy/ that the node does not expose").isEmpty();
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }

  private static String get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Path unpackDistribution() throws Exception {
    Path tarball;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      tarball =
          files
              .filter(f -> f.getFileName().toString().matches("trustledger-.*\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no distribution in target/ (./mvnw package)"));
    }
    Path into = Path.of("target", "deploy-files-it").toAbsolutePath();
    new ProcessBuilder("rm", "-rf", into.toString()).start().waitFor();
    Files.createDirectories(into);
    Process tar =
        new ProcessBuilder(
                "tar",
                "xzf",
                tarball.toAbsolutePath().toString(),
                "-C",
                into.toString(),
                "--strip-components=1")
            .redirectErrorStream(true)
            .start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as(out).isZero();
    return into;
  }

  private static List<String> jarNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
    }
  }

  /** The JSON-array form of a Dockerfile instruction, e.g. ENTRYPOINT ["a", "b"]. */
  private static List<String> jsonArray(String dockerfile, String instruction) throws IOException {
    Matcher m = Pattern.compile("(?m)^" + instruction + "\\s+(\\[.*\\])\\s*$").matcher(dockerfile);
    assertThat(m.find()).as(instruction + " in exec form").isTrue();
    List<String> out = new ArrayList<>();
    JSON.readTree(m.group(1)).forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The shell command of an instruction such as HEALTHCHECK ... CMD <command>, continued lines
   * joined.
   */
  private static String shellCommand(String dockerfile, String instruction) {
    String joined = dockerfile.replace("\\\n", " ");
    Matcher m = Pattern.compile("(?m)^" + instruction + "\\b.*?\\bCMD\\s+(.*)$").matcher(joined);
    assertThat(m.find()).as(instruction).isTrue();
    return m.group(1).trim();
  }

  private static List<JsonNode> readAll(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertThat(found).as(kind).isNotEmpty();
    return found.get(0);
  }

  /** LEDGER_ names: map keys (compose environment) and env entries' names (Kubernetes). */
  private static void collectVariables(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      object
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (name.startsWith("LEDGER_")) {
                  out.add(name);
                }
              });
      JsonNode name = object.get("name");
      if (name != null && name.isTextual() && name.asText().startsWith("LEDGER_")) {
        out.add(name.asText());
      }
      object.elements().forEachRemaining(child -> collectVariables(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> collectVariables(child, out));
    } else if (node.isTextual()) {
      // Compose's list form (- LEDGER_X=value) and shell lines that export variables.
      Matcher m = Pattern.compile("\\b(LEDGER_[A-Z0-9_]+)=").matcher(node.asText());
      while (m.find()) {
        out.add(m.group(1));
      }
    }
  }

  private static Properties properties(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  private void assertKnownKeys(String file, Properties properties) {
    List<String> unknown =
        properties.stringPropertyNames().stream()
            .filter(k -> !k.startsWith("kafka."))
            .filter(k -> !keys.contains(k))
            .toList();
    assertThat(properties).as(file).isNotEmpty();
    assertThat(unknown).as("keys in " + file + " the node does not know").isEmpty();
  }
}
