package dev.trustledger.node.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka 4.1 KRaft server (combined broker + controller) running inside
 * the current JVM, with persistent storage.
 *
 * <p>The log directory {@code dataDir/kafka-logs} is formatted (fresh cluster id, latest production
 * {@code metadata.version}) only when it holds no {@code meta.properties} yet; later starts reuse
 * the existing cluster id, metadata log, topics and records.
 *
 * <p>The partition counts of the internal {@code __consumer_offsets} and {@code
 * __transaction_state} topics are fixed on their first creation and must never change afterwards
 * for an existing data directory, so they are constants here.
 *
 * <p>Note: like a stand-alone Kafka, the server halts the JVM ({@code Exit.halt}) on fatal faults
 * such as a failed metadata log or an unusable (only) log directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final int SINGLE_NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String LOG_DIR_NAME = "kafka-logs";
  private static final String LOCK_FILE_NAME = "embedded-kafka.lock";
  private static final int DEFAULT_PARTITIONS = 3;
  private static final int INTERNAL_TOPIC_PARTITIONS = 5;
  private static final long MAX_STARTUP_MS = 120_000L;

  private final KafkaRaftServer server;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String bootstrapServers;
  private final String clusterId;
  private final Path logDir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(
      KafkaRaftServer server,
      FileChannel lockChannel,
      FileLock lock,
      String bootstrapServers,
      String clusterId,
      Path logDir) {
    this.server = server;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.bootstrapServers = bootstrapServers;
    this.clusterId = clusterId;
    this.logDir = logDir;
  }

  /**
   * Starts the broker and blocks until it is unfenced and accepts client connections.
   *
   * @param dataDir folder holding all Kafka state; created if missing, reused on later starts
   * @param host host name or address both listeners bind to and the broker advertises
   * @param port client (PLAINTEXT) port
   * @param controllerPort KRaft controller port
   * @throws IllegalStateException if a port is in use, the data directory is not writable or
   *     already used by another instance, or the server fails to start
   */
  public static EmbeddedKafka start(Path dataDir, String host, int port, int controllerPort) {
    return start(
        new Settings(
            dataDir,
            host,
            port,
            controllerPort,
            SINGLE_NODE_ID,
            SINGLE_NODE_ID + "@" + host + ":" + controllerPort,
            null,
            1));
  }

  /**
   * One server of a cluster: its node id, the static controller quorum of all servers, the cluster
   * id they share, and the replication of internal topics and new topics.
   *
   * @param dataDir folder holding this server's Kafka state; created if missing
   * @param host host both listeners bind to and the server advertises
   * @param port client (PLAINTEXT) port
   * @param controllerPort KRaft controller port
   * @param nodeId this server's node id, one of the voters
   * @param voters {@code controller.quorum.voters}: {@code id@host:port,...}
   * @param clusterId the cluster id to format with (Kafka's base64url UUID); null: a new random one
   *     (single-server clusters only)
   * @param replicationFactor replication of new and internal topics; {@code min.insync.replicas} is
   *     one less (at least 1)
   */
  public record Settings(
      Path dataDir,
      String host,
      int port,
      int controllerPort,
      int nodeId,
      String voters,
      String clusterId,
      int replicationFactor) {
    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(voters, "voters");
      checkPortNumber(port, "port");
      checkPortNumber(controllerPort, "controllerPort");
      if (port == controllerPort) {
        throw new IllegalArgumentException(
            "Kafka port and controller port must differ, both are " + port);
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException(
            "replication factor must be at least 1, got " + replicationFactor);
      }
      if (clusterId != null) {
        try {
          Uuid.fromString(clusterId);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "cluster id must be a Kafka UUID (22 base64url characters), got " + clusterId);
        }
      }
    }

    int minInsyncReplicas() {
      return Math.max(1, replicationFactor - 1);
    }
  }

  /**
   * Starts one server of a cluster and blocks until it is unfenced and accepts client connections;
   * with other voters, that needs a quorum of them running.
   *
   * @throws IllegalStateException as {@link #start(Path, String, int, int)}
   */
  public static EmbeddedKafka start(Settings settings) {
    Path dataDir = settings.dataDir();
    String host = settings.host();
    int port = settings.port();
    int controllerPort = settings.controllerPort();
    Objects.requireNonNull(host, "host");
    long startNanos = System.nanoTime();
    Path absDataDir = dataDir.toAbsolutePath().normalize();
    Path logDir = prepareWritableDir(absDataDir).resolve(LOG_DIR_NAME);
    prepareWritableDir(logDir);

    FileChannel lockChannel = null;
    FileLock lock = null;
    KafkaRaftServer server = null;
    try {
      ensurePortFree(host, port, "Kafka broker");
      ensurePortFree(host, controllerPort, "Kafka controller");
      lockChannel = openLockChannel(absDataDir.resolve(LOCK_FILE_NAME));
      lock = tryLock(lockChannel, absDataDir);

      KafkaConfig config = new KafkaConfig(brokerProps(logDir, settings), false);
      String clusterId = formatIfNeeded(logDir.toString(), settings);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = host + ":" + port;
      LOG.info(
          "Embedded Kafka {} started in {} ms (cluster id {}, data {})",
          bootstrap,
          (System.nanoTime() - startNanos) / 1_000_000,
          clusterId,
          logDir);
      return new EmbeddedKafka(server, lockChannel, lock, bootstrap, clusterId, logDir);
    } catch (RuntimeException | Error e) {
      if (server != null) {
        shutdownQuietly(server);
      }
      release(lock, lockChannel);
      if (e instanceof IllegalStateException || e instanceof Error) {
        throw e;
      }
      throw new IllegalStateException(
          "Failed to start embedded Kafka on "
              + host
              + ":"
              + port
              + " (controller port "
              + controllerPort
              + ", data "
              + logDir
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The cluster id, generated on first format and persisted in {@code meta.properties}. */
  public String clusterId() {
    return clusterId;
  }

  /** The Kafka log directory ({@code dataDir/kafka-logs}). */
  public Path logDir() {
    return logDir;
  }

  /**
   * Shuts the server down (controlled shutdown of the broker, then the controller) and waits until
   * it has stopped. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long startNanos = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      release(lock, lockChannel);
    }
    LOG.info(
        "Embedded Kafka {} stopped in {} ms",
        bootstrapServers,
        (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static Map<String, Object> brokerProps(Path logDir, Settings settings) {
    String host = settings.host();
    int port = settings.port();
    int controllerPort = settings.controllerPort();
    String replication = String.valueOf(settings.replicationFactor());
    String minIsr = String.valueOf(settings.minInsyncReplicas());
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(settings.nodeId()));
    props.put("controller.quorum.voters", settings.voters());
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + host
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + host
            + ":"
            + controllerPort);
    props.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + port);
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", String.valueOf(DEFAULT_PARTITIONS));
    props.put("default.replication.factor", replication);
    props.put("min.insync.replicas", minIsr);
    props.put("offsets.topic.replication.factor", replication);
    props.put("offsets.topic.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));
    props.put("transaction.state.log.replication.factor", replication);
    props.put("transaction.state.log.min.isr", minIsr);
    props.put("transaction.state.log.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));
    props.put("share.coordinator.state.topic.replication.factor", replication);
    props.put("share.coordinator.state.topic.min.isr", minIsr);
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("controlled.shutdown.enable", "true");
    props.put("server.max.startup.time.ms", String.valueOf(MAX_STARTUP_MS));
    return props;
  }

  /**
   * Formats the log directory on first start only and returns the (new or persisted) cluster id.
   */
  private static String formatIfNeeded(String logDir, Settings settings) {
    try {
      MetaPropertiesEnsemble ensemble =
          new MetaPropertiesEnsemble.Loader()
              .addMetadataLogDir(logDir)
              .addLogDirs(List.of(logDir))
              .load();
      if (!ensemble.errorLogDirs().isEmpty()) {
        throw new IllegalStateException(
            "Kafka log directory " + logDir + " cannot be read (see log for the I/O error)");
      }
      if (ensemble.emptyLogDirs().isEmpty()) {
        String existing =
            ensemble
                .clusterId()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "Kafka log directory " + logDir + " has no cluster.id"));
        if (settings.clusterId() != null && !settings.clusterId().equals(existing)) {
          throw new IllegalStateException(
              "Kafka log directory "
                  + logDir
                  + " belongs to cluster "
                  + existing
                  + ", not "
                  + settings.clusterId());
        }
        LOG.info("Reusing Kafka storage {} (cluster id {})", logDir, existing);
        return existing;
      }
      String clusterId =
          settings.clusterId() == null ? Uuid.randomUuid().toString() : settings.clusterId();
      ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
      try (PrintStream out = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
        new Formatter()
            .setPrintStream(out)
            .setNodeId(settings.nodeId())
            .setClusterId(clusterId)
            .setControllerListenerName(CONTROLLER_LISTENER)
            .setMetadataLogDirectory(logDir)
            .addDirectory(logDir)
            .setReleaseVersion(MetadataVersion.latestProduction())
            .setUnstableFeatureVersionsEnabled(false)
            .setHasDynamicQuorum(false)
            .run();
      } finally {
        formatterOutput
            .toString(StandardCharsets.UTF_8)
            .lines()
            .forEach(line -> LOG.info("kafka-storage: {}", line));
      }
      LOG.info(
          "Formatted Kafka storage {} (cluster id {}, metadata.version {})",
          logDir,
          clusterId,
          MetadataVersion.latestProduction());
      return clusterId;
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "Failed to format Kafka log directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  private static Path prepareWritableDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new IllegalStateException(
          "Kafka data directory " + dir + " cannot be created: " + e, e);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Kafka data directory " + dir + " is not a directory");
    }
    try {
      Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new IllegalStateException("Kafka data directory " + dir + " is not writable: " + e, e);
    }
    return dir;
  }

  private static FileChannel openLockChannel(Path lockFile) {
    try {
      return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Kafka data directory lock " + lockFile + " cannot be opened: " + e, e);
    }
  }

  private static FileLock tryLock(FileChannel channel, Path dataDir) {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      throw new IllegalStateException("Kafka data directory " + dataDir + " cannot be locked", e);
    }
    if (lock == null) {
      throw new IllegalStateException(
          "Kafka data directory " + dataDir + " is already in use by another Kafka instance");
    }
    return lock;
  }

  private static void ensurePortFree(String host, int port, String role) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Cannot resolve Kafka host '" + host + "'", e);
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          role
              + " port "
              + port
              + " on "
              + host
              + " is already in use (or cannot be bound): "
              + e.getMessage(),
          e);
    }
  }

  private static void checkPortNumber(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
    }
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error while shutting down Kafka after a failed start", e);
    }
  }

  private static void release(FileLock lock, FileChannel channel) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.warn("Cannot release Kafka data directory lock", e);
    }
  }
}
