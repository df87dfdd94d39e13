package dev.trustledger.ledger.runtime;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.StoreLedgerReader;
import dev.trustledger.ledger.sequencer.LedgerStep;
import dev.trustledger.ledger.topology.LedgerConfigurationException;
import dev.trustledger.ledger.topology.LedgerMetrics;
import dev.trustledger.ledger.topology.LedgerTopology;
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
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
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
  private final LedgerReader reader;
  private final Deque<Long> failures = new ArrayDeque<>();
  private volatile String fatal;

  private LedgerRuntime(KafkaStreams streams, LedgerFormats formats) {
    this.streams = streams;
    streams.setUncaughtExceptionHandler(this::onFailure);
    // The query wrappers resolve the underlying stores on every call, so they stay valid across
    // rebalances: look each up once instead of once per read.
    Map<String, Object> handles = new ConcurrentHashMap<>();
    this.reader =
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
    KafkaStreams streams =
        new KafkaStreams(
            LedgerTopology.build(topics, config, formats, ledgerKey, metrics, step), props);
    LedgerRuntime runtime = new LedgerRuntime(streams, formats);
    streams.start();
    return runtime;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public LedgerReader reader() {
    return reader;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
