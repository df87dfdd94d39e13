package dev.trustledger.testkit;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real KRaft Kafka cluster for integration tests.
 *
 * <p>If Testcontainers finds a Docker engine, the cluster is made of {@code apache/kafka:4.1.1}
 * containers; otherwise it runs inside this JVM on {@link KafkaClusterTestKit} (the same 4.1.1
 * broker and controller code), one combined broker+controller node plus broker-only nodes, with
 * ephemeral ports advertised on 127.0.0.1 and its log directories in a fresh temp directory. Tests
 * see only {@link #bootstrapServers()} and behave the same either way.
 *
 * <p>System property {@value #MODE_PROPERTY} (or env {@code TRUSTLEDGER_KAFKA_MODE}) forces the
 * implementation: {@code auto} (default), {@code docker} or {@code embedded}.
 *
 * <p>Broker settings are chosen for exactly-once Kafka Streams tests on one small machine: internal
 * topics replicated {@code min(brokers, 3)} times with {@code min.isr = max(1, rf - 1)}, few
 * internal-topic partitions, and no initial rebalance delay. {@code log.message.timestamp.type} is
 * left at its default (CreateTime); topics may set {@code message.timestamp.type=LogAppendTime}.
 *
 * <p>{@link #startSecured} starts a cluster whose clients must log in (SASL/PLAIN) and are
 * authorized by ACLs ({@code StandardAuthorizer}); {@link #clientSettings(String)} gives a user's
 * client settings.
 */
public final class KafkaCluster implements AutoCloseable {

  public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
  public static final String MODE_PROPERTY = "trustledger.kafka.mode";

  /**
   * The super user of a cluster from {@link #startSecured}: the brokers log in as it to each other,
   * and tests use it to create ACLs.
   */
  public static final String SUPER_USER = "admin";

  private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
  private static final String BROKER_LISTENER = "EXTERNAL";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final String mode;
  private final int brokers;
  private final String bootstrapServers;
  private final AutoCloseable backend;
  private final Path dataDirectory;
  private final Thread shutdownHook;
  private final Map<String, String> users;
  private boolean closed;

  private KafkaCluster(
      String mode,
      int brokers,
      String bootstrapServers,
      Path dataDirectory,
      Map<String, String> users,
      AutoCloseable backend) {
    this.mode = mode;
    this.brokers = brokers;
    this.bootstrapServers = bootstrapServers;
    this.dataDirectory = dataDirectory;
    this.users = Map.copyOf(users);
    this.backend = backend;
    // Safety net for a test that forgets close(): stop brokers and delete their files at exit.
    this.shutdownHook = new Thread(this::closeQuietly, "kafka-cluster-shutdown-" + mode);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a cluster of {@code brokers} brokers and waits until every broker is ready. */
  public static KafkaCluster start(int brokers) {
    return start(brokers, Map.of());
  }

  /**
   * Starts a cluster of {@code brokers} brokers with extra broker configs (dotted Kafka names, e.g.
   * {@code "auto.create.topics.enable" -> "false"}), applied on top of the defaults.
   */
  public static KafkaCluster start(int brokers, Map<String, String> brokerOverrides) {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be >= 1, was " + brokers);
    }
    Map<String, String> config = brokerConfig(brokers);
    config.putAll(brokerOverrides);
    String mode = chooseMode();
    long t0 = System.nanoTime();
    KafkaCluster cluster =
        mode.equals("docker")
            ? startDocker(brokers, config)
            : startEmbedded(brokers, config, Map.of());
    log.info(
        "Kafka cluster ({}, {} broker(s)) ready at {} in {} ms",
        mode,
        brokers,
        cluster.bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return cluster;
  }

  /**
   * Starts a cluster of {@code brokers} brokers whose clients must log in and are authorized by
   * ACLs, and waits until every broker is ready. Always runs in this JVM ({@link
   * KafkaClusterTestKit}), whatever {@value #MODE_PROPERTY} says: the Docker implementation has no
   * secured mode.
   *
   * <ul>
   *   <li>The broker listener (the one in {@link #bootstrapServers()}) is {@code SASL_PLAINTEXT}
   *       with mechanism PLAIN; {@code users} maps each user name to its password and must contain
   *       {@link #SUPER_USER}, whose login the brokers also use between themselves.
   *   <li>{@code StandardAuthorizer} with no ACLs: only the super users may do anything until a
   *       test grants more (Admin {@code createAcls} as {@link #SUPER_USER}).
   *   <li>The controller listener stays {@code PLAINTEXT}, so brokers reach the controller as
   *       {@code User:ANONYMOUS}; that principal must be a super user or the controller refuses
   *       their registration and heartbeats (CLUSTER_ACTION). Only the brokers know that listener's
   *       port: {@link #bootstrapServers()} never names it.
   * </ul>
   *
   * @param users user name to password; no quotes, backslashes, spaces, ';' or '=' in either
   */
  public static KafkaCluster startSecured(int brokers, Map<String, String> users) {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be >= 1, was " + brokers);
    }
    if (!users.containsKey(SUPER_USER)) {
      throw new IllegalArgumentException("users must contain the super user " + SUPER_USER);
    }
    for (Map.Entry<String, String> user : users.entrySet()) {
      if ((user.getKey() + user.getValue()).matches(".*[\\\\\"\\s;=].*")) {
        throw new IllegalArgumentException("unquotable user or password: " + user.getKey());
      }
    }
    Map<String, String> config = brokerConfig(brokers);
    config.putAll(securedBrokerConfig(users));
    long t0 = System.nanoTime();
    KafkaCluster cluster = startEmbedded(brokers, config, users);
    log.info(
        "Secured Kafka cluster (embedded, {} broker(s)) ready at {} in {} ms",
        brokers,
        cluster.bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return cluster;
  }

  /**
   * Broker settings of {@link #startSecured}: SASL/PLAIN on the broker listener, PLAINTEXT on the
   * controller listener, ACLs enforced. The test kit only fills in {@code
   * listener.security.protocol.map} and the listener names when they are absent, so these win.
   */
  static Map<String, String> securedBrokerConfig(Map<String, String> users) {
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
            .append(" username=\"")
            .append(SUPER_USER)
            .append("\" password=\"")
            .append(users.get(SUPER_USER))
            .append('"');
    new TreeMap<>(users)
        .forEach(
            (user, password) ->
                jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
    jaas.append(';');
    Map<String, String> c = new LinkedHashMap<>();
    c.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    c.put("inter.broker.listener.name", BROKER_LISTENER);
    c.put("sasl.enabled.mechanisms", "PLAIN");
    c.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    // Listener-scoped: the login of this broker (for inter-broker traffic) and the users it knows.
    c.put(
        "listener.name." + BROKER_LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config",
        jaas.toString());
    c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    c.put("allow.everyone.if.no.acl.found", "false");
    // ANONYMOUS: the principal of every connection on the PLAINTEXT controller listener, i.e. the
    // brokers registering and heartbeating with the controller.
    c.put("super.users", "User:" + SUPER_USER + ";User:ANONYMOUS");
    return c;
  }

  /**
   * Client settings that log in to this cluster as {@code user}: {@code bootstrap.servers} plus,
   * for a cluster from {@link #startSecured}, {@link #saslPlain}. For a cluster from {@link
   * #start}, {@code user} is ignored.
   */
  public Map<String, Object> clientSettings(String user) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (!users.isEmpty()) {
      String password = users.get(user);
      if (password == null) {
        throw new IllegalArgumentException("no such user: " + user);
      }
      out.putAll(saslPlain(user, password));
    }
    return out;
  }

  /**
   * The security settings of a SASL/PLAIN client ({@code security.protocol}, {@code
   * sasl.mechanism}, {@code sasl.jaas.config}), without {@code bootstrap.servers}.
   */
  public static Map<String, Object> saslPlain(String user, String password) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("security.protocol", "SASL_PLAINTEXT");
    out.put("sasl.mechanism", "PLAIN");
    out.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return out;
  }

  /** Comma-separated {@code host:port} list for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** {@code "docker"} or {@code "embedded"}: which implementation this cluster runs on. */
  public String mode() {
    return mode;
  }

  public int brokers() {
    return brokers;
  }

  /** The in-JVM cluster's files (deleted by {@link #close()}); {@code null} for Docker. */
  Path dataDirectory() {
    return dataDirectory;
  }

  /** Stops every broker and controller and deletes the cluster's files. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // close() is running from the hook itself
    }
    try {
      backend.close();
    } catch (Exception e) {
      throw new IllegalStateException("Failed to stop Kafka cluster at " + bootstrapServers, e);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      log.warn("Error stopping Kafka cluster at {}", bootstrapServers, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration shared by both implementations

  static Map<String, String> brokerConfig(int brokers) {
    int rf = Math.min(brokers, 3);
    String minIsr = Integer.toString(Math.max(1, rf - 1));
    Map<String, String> c = new LinkedHashMap<>();
    c.put("offsets.topic.replication.factor", Integer.toString(rf));
    c.put("offsets.topic.num.partitions", "3");
    c.put("transaction.state.log.replication.factor", Integer.toString(rf));
    c.put("transaction.state.log.min.isr", minIsr);
    c.put("transaction.state.log.num.partitions", "3");
    c.put("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
    c.put("share.coordinator.state.topic.min.isr", minIsr);
    c.put("group.initial.rebalance.delay.ms", "0");
    c.put("num.partitions", "1");
    return c;
  }

  private static String chooseMode() {
    String requested = System.getProperty(MODE_PROPERTY, System.getenv("TRUSTLEDGER_KAFKA_MODE"));
    requested = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    switch (requested) {
      case "docker":
      case "embedded":
        return requested;
      case "auto":
      case "":
        return dockerAvailable() ? "docker" : "embedded";
      default:
        throw new IllegalArgumentException(
            MODE_PROPERTY + " must be auto, docker or embedded, was " + requested);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      log.debug("Docker check failed; using the in-JVM Kafka cluster", t);
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // In-JVM implementation: org.apache.kafka.common.test.KafkaClusterTestKit

  private static KafkaCluster startEmbedded(
      int brokers, Map<String, String> config, Map<String, String> users) {
    Path baseDir;
    try {
      baseDir = Files.createTempDirectory("trustledger-kafka-");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create a temp directory for Kafka", e);
    }
    KafkaClusterTestKit kit = null;
    try {
      // Node 0 is broker+controller; nodes 1..n-1 are brokers only. Advertise 127.0.0.1, not
      // "localhost". Port 0: the test kit hands each listener a socket it has already bound.
      Map<Integer, Map<String, String>> perNode = new HashMap<>();
      perNode.put(
          0,
          Map.of(
              "listeners",
              BROKER_LISTENER + "://127.0.0.1:0," + CONTROLLER_LISTENER + "://127.0.0.1:0"));
      for (int id = 1; id < brokers; id++) {
        perNode.put(id, Map.of("listeners", BROKER_LISTENER + "://127.0.0.1:0"));
      }
      TestKitNodes nodes =
          new TestKitNodes.Builder(productionBootstrapMetadata())
              .setCombined(true)
              .setNumControllerNodes(1)
              .setNumBrokerNodes(brokers)
              .setBaseDirectory(baseDir)
              .setBrokerListenerName(ListenerName.normalised(BROKER_LISTENER))
              .setControllerListenerName(ListenerName.normalised(CONTROLLER_LISTENER))
              .setPerServerProperties(perNode)
              .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      config.forEach(builder::setConfigProp);
      // The test kit enables unreleased protocol and feature versions by default; a real 4.1.1
      // broker (and the Docker image) does not.
      builder.setConfigProp("unstable.api.versions.enable", "false");
      builder.setConfigProp("unstable.feature.versions.enable", "false");
      kit = builder.build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      String bootstrap = kit.bootstrapServers().replace("localhost:", "127.0.0.1:");
      KafkaClusterTestKit started = kit;
      return new KafkaCluster(
          "embedded",
          brokers,
          bootstrap,
          baseDir,
          users,
          () -> {
            try {
              started.close();
            } finally {
              deleteRecursively(baseDir);
            }
          });
    } catch (Exception | Error e) {
      if (kit != null) {
        try {
          kit.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      deleteRecursively(baseDir);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Failed to start in-JVM Kafka cluster", e);
    }
  }

  /** What {@code kafka-storage format} writes for 4.1.1: latest production metadata version. */
  private static BootstrapMetadata productionBootstrapMetadata() {
    MetadataVersion mv = MetadataVersion.latestProduction();
    Map<String, Short> features = new TreeMap<>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      features.put(feature.featureName(), feature.defaultLevel(mv));
    }
    return BootstrapMetadata.fromVersions(mv, features, "trustledger-testkit");
  }

  private static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException gone) {
      // already deleted by the test kit
    } catch (IOException e) {
      log.warn("Could not delete {}", dir, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Docker implementation: Testcontainers' KRaft KafkaContainer (apache/kafka image)

  private static KafkaCluster startDocker(int brokers, Map<String, String> config) {
    Network network = brokers > 1 ? Network.newNetwork() : null;
    List<KafkaContainer> containers = dockerNodes(brokers, config, network);
    try {
      // All voters must be up together for the quorum to elect a leader.
      containers.parallelStream().forEach(GenericContainer::start);
      String bootstrap =
          containers.stream()
              .map(KafkaContainer::getBootstrapServers)
              .collect(Collectors.joining(","));
      awaitBrokers(bootstrap, brokers);
      return new KafkaCluster(
          "docker", brokers, bootstrap, null, Map.of(), () -> stopContainers(containers, network));
    } catch (RuntimeException | Error e) {
      stopContainers(containers, network);
      throw new IllegalStateException("Failed to start Kafka containers", e);
    }
  }

  /**
   * One combined broker+controller container per node. With one node, Testcontainers' own KRaft
   * settings are kept; with more, the nodes share a network and form one quorum (the pattern of
   * Testcontainers' kafka-cluster example). Nothing here talks to Docker yet.
   */
  static List<KafkaContainer> dockerNodes(
      int brokers, Map<String, String> config, Network network) {
    DockerImageName image = DockerImageName.parse(KAFKA_IMAGE);
    String clusterId = Uuid.randomUuid().toString();
    String voters =
        IntStream.range(0, brokers)
            .mapToObj(i -> i + "@kafka-" + i + ":9094")
            .collect(Collectors.joining(","));
    List<KafkaContainer> containers = new ArrayList<>();
    for (int i = 0; i < brokers; i++) {
      KafkaContainer c = new KafkaContainer(image).withStartupTimeout(READY_TIMEOUT);
      config.forEach((k, v) -> c.withEnv(envName(k), v));
      if (brokers > 1) {
        c.withNetwork(network)
            .withNetworkAliases("kafka-" + i)
            .withEnv("CLUSTER_ID", clusterId)
            .withEnv("KAFKA_NODE_ID", Integer.toString(i))
            .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", voters);
      }
      containers.add(c);
    }
    return Collections.unmodifiableList(containers);
  }

  /** Kafka config name to apache/kafka image env var: . to _, _ to __, - to ___, KAFKA_ prefix. */
  static String envName(String key) {
    return "KAFKA_"
        + key.replace("_", "__").replace("-", "___").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static void awaitBrokers(String bootstrap, int expected) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (true) {
        try {
          int seen = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
          if (seen >= expected) {
            return;
          }
        } catch (Exception retry) {
          if (retry instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for brokers", retry);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(expected + " brokers not ready at " + bootstrap);
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for brokers", e);
    }
  }

  private static void stopContainers(List<KafkaContainer> containers, Network network) {
    containers.parallelStream().forEach(GenericContainer::stop);
    if (network != null) {
      network.close();
    }
  }
}
