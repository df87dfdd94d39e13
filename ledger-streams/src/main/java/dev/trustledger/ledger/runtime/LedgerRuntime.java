package dev.trustledger.ledger.runtime;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.StoreLedgerReader;
import dev.trustledger.ledger.sequencer.LedgerStep;
import dev.trustledger.ledger.topology.LedgerConfigurationException;
import dev.trustledger.ledger.topology.LedgerMetrics;
import dev.trustledger.ledger.topology.LedgerTopology;
import dev.trustledger.ledger.view.ReadModel;
import dev.trustledger.ledger.view.ViewFollower;
import dev.trustledger.ledger.view.ViewLedgerReader;
import dev.trustledger.ledger.view.ViewRecords;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the ledger topology on a Kafka cluster: topics, Streams, and a reader of local stores. */
public final class LedgerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerRuntime.class);

  /** More failures than this within {@link #FAILURE_WINDOW} stop the node instead of retrying. */
  static final int MAX_FAILURES = 5;

  static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

  private final KafkaStreams streams;
  private final LedgerReader stores;
  private final LedgerReader reader;
  private final ViewFollower views;
  private final LedgerConfig.Role role;
  private final Deque<Long> failures = new ArrayDeque<>();
  private volatile String fatal;
  private volatile boolean started;
  private volatile Thread starter;

  private LedgerRuntime(
      KafkaStreams streams, LedgerFormats formats, ViewFollower views, LedgerConfig.Role role) {
    this.streams = streams;
    this.views = views;
    this.role = role;
    streams.setUncaughtExceptionHandler(this::onFailure);
    // The query wrappers resolve the underlying stores on every call, so they stay valid across
    // rebalances: look each up once instead of once per read.
    Map<String, Object> handles = new ConcurrentHashMap<>();
    this.stores =
        new StoreLedgerReader(
            new StoreLedgerReader.Stores() {
              @Override
              @SuppressWarnings("unchecked")
              public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                return (ReadOnlyKeyValueStore<K, V>)
                    handles.computeIfAbsent(
                        name,
                        n ->
                            streams.store(
                                StoreQueryParameters.fromNameAndType(
                                    n, QueryableStoreTypes.<K, V>keyValueStore())));
              }

              @Override
              @SuppressWarnings("unchecked")
              public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                return (ReadOnlyWindowStore<K, V>)
                    handles.computeIfAbsent(
                        name,
                        n ->
                            streams.store(
                                StoreQueryParameters.fromNameAndType(
                                    n, QueryableStoreTypes.<K, V>windowStore())));
              }
            },
            formats.checkpoints());
    this.reader = new ViewLedgerReader(views.model(), stores);
  }

  /**
   * A stream thread failed. A configuration that contradicts the log, or a Kafka authorization
   * failure (a missing ACL), stops the node; anything else replaces the thread, whose tasks resume
   * from their last commit (nothing is lost), unless it keeps failing.
   */
  private synchronized StreamThreadExceptionResponse onFailure(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof LedgerConfigurationException config) {
        fatal = config.getMessage();
        LOG.error("stopping: {}", fatal);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      if (c instanceof AuthorizationException denied) {
        // A missing ACL does not heal by retrying: say which grant is missing and stop.
        fatal =
            "Kafka refused the node's principal: "
                + denied.getMessage()
                + " (the ACLs a node needs are in docs/security.md, section 4)";
        LOG.error("stopping: {}", fatal);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    long now = System.currentTimeMillis();
    failures.addLast(now);
    while (!failures.isEmpty() && failures.peekFirst() < now - FAILURE_WINDOW.toMillis()) {
      failures.removeFirst();
    }
    if (failures.size() > MAX_FAILURES) {
      fatal =
          "a stream thread failed "
              + failures.size()
              + " times within "
              + FAILURE_WINDOW.toMinutes()
              + " minutes; last: "
              + e;
      LOG.error("stopping: {}", fatal, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.error("a stream thread failed; replacing it (its tasks resume from their last commit)", e);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Why the ledger stopped, when it stopped for good. */
  public Optional<String> fatalError() {
    return Optional.ofNullable(fatal);
  }

  /**
   * Ensures the topics exist and starts the topology.
   *
   * @param extraStreamsProps Kafka Streams settings on top of the ledger's own (e.g. {@code
   *     application.server})
   */
  public static LedgerRuntime start(
      LedgerConfig config, Ed25519PrivateKey ledgerKey, Map<String, Object> extraStreamsProps)
      throws Exception {
    return start(config, ledgerKey, extraStreamsProps, LedgerMetrics.NONE);
  }

  /** Starts the topology, reporting to {@code metrics}. */
  public static LedgerRuntime start(
      LedgerConfig config,
      Ed25519PrivateKey ledgerKey,
      Map<String, Object> extraStreamsProps,
      LedgerMetrics metrics)
      throws Exception {
    return start(config, ledgerKey, extraStreamsProps, metrics, UnaryOperator.identity());
  }

  /**
   * Starts the topology whose sequencer runs {@code step} applied to the ledger's step (tests wrap
   * it to make it fail).
   */
  public static LedgerRuntime start(
      LedgerConfig config,
      Ed25519PrivateKey ledgerKey,
      Map<String, Object> extraStreamsProps,
      LedgerMetrics metrics,
      UnaryOperator<LedgerStep> step)
      throws Exception {
    LedgerTopics topics = LedgerTopics.DEFAULT;
    try (Admin admin = Admin.create(config.kafkaClientSettings())) {
      TopicSetup.ensure(admin, topics, config);
    }
    LedgerFormats formats =
        LedgerFormats.of(config.getString(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG));
    Properties props = LedgerTopology.streamsProperties(config);
    props.putAll(extraStreamsProps);
    LedgerConfig.Role role = config.role();
    if (role == LedgerConfig.Role.FULL) {
      String nodeId = config.getString(LedgerConfig.NODE_ID_CONFIG);
      Object server = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
      if (nodeId.isEmpty() && server != null) {
        nodeId = server.toString();
      }
      if (!nodeId.isEmpty()) {
        props.put(
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
            "node-" + nodeId.replaceAll("[^A-Za-z0-9._-]", "_"));
      }
    }
    ViewFollower views =
        new ViewFollower(
            config.kafkaClientSettings(),
            topics.views(),
            ViewRecords.serde(ledgerKey).deserializer(),
            new ReadModel(config.getInt(LedgerConfig.VIEWS_RECENT_CHANGES_CONFIG)));
    KafkaStreams streams =
        new KafkaStreams(
            role == LedgerConfig.Role.FULL
                ? LedgerTopology.build(topics, config, formats, ledgerKey, metrics, step)
                : LedgerTopology.globals(topics, config, formats, ledgerKey, metrics),
            props);
    LedgerRuntime runtime = new LedgerRuntime(streams, formats, views, role);
    views.start();
    // KafkaStreams.start() returns once the global stores are restored: the read model answers
    // meanwhile, so start it on a thread of its own.
    Thread starter =
        new Thread(
            () -> {
              try {
                streams.start();
                runtime.started = true;
              } catch (RuntimeException e) {
                runtime.fatal = "Kafka Streams did not start: " + e;
                LOG.error("stopping: {}", runtime.fatal, e);
              }
            },
            "ledger-streams-start");
    starter.setDaemon(true);
    starter.start();
    runtime.starter = starter;
    return runtime;
  }

  /**
   * True when this node answers reads of the directory (agents, verify, sponsors): its read model
   * has caught up with the views. The log's global stores may still be restoring (reads of chains,
   * proofs and checkpoints answer 503 meanwhile), the sequencer may still be restoring or moving.
   */
  public boolean readsReady() {
    return views.caughtUp() && fatal == null;
  }

  /** True once Kafka Streams runs: the global stores are restored. */
  public boolean logReady() {
    KafkaStreams.State state = streams.state();
    return started
        && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
  }

  /** What this node waits for before it answers reads, or empty when it does. */
  public Optional<String> waitingFor() {
    if (!views.caughtUp()) {
      return Optional.of("reading the views (ledger_seq " + views.model().ledgerSeq() + " so far)");
    }
    if (!started) {
      return Optional.of("restoring the global stores (the log's chains, tree and checkpoints)");
    }
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return Optional.of("Kafka Streams is " + state);
    }
    return Optional.empty();
  }

  public LedgerConfig.Role role() {
    return role;
  }

  public ViewFollower views() {
    return views;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Reads: the directory and head from the read model, the log from the global stores, decisions
   * from the sequencer's stores (only where it runs).
   */
  public LedgerReader reader() {
    return reader;
  }

  /** Reads from this node's own stores alone (the sequencer's, where it runs here). */
  public LedgerReader stores() {
    return stores;
  }

  /**
   * Stops the node. A full node leaves the group at once, so its tasks move without waiting for the
   * session timeout.
   */
  @Override
  public void close() {
    views.close();
    Thread t = starter;
    if (t != null) {
      try {
        t.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    streams.close(
        new KafkaStreams.CloseOptions()
            .leaveGroup(role == LedgerConfig.Role.FULL)
            .timeout(Duration.ofSeconds(30)));
  }
}
