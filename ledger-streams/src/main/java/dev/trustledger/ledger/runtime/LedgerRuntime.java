package dev.trustledger.ledger.runtime;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.StoreLedgerReader;
import dev.trustledger.ledger.topology.LedgerFormats;
import dev.trustledger.ledger.topology.LedgerMetrics;
import dev.trustledger.ledger.topology.LedgerTopics;
import dev.trustledger.ledger.topology.LedgerTopology;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Runs the ledger topology on a Kafka cluster: topics, Streams, and a reader of local stores. */
public final class LedgerRuntime implements AutoCloseable {
  private final KafkaStreams streams;
  private final LedgerReader reader;

  private LedgerRuntime(KafkaStreams streams) {
    this.streams = streams;
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
            });
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
    LedgerTopics topics = LedgerTopics.DEFAULT;
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.getString(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
      TopicSetup.ensure(admin, topics, config);
    }
    LedgerFormats formats =
        LedgerFormats.of(config.getString(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG));
    Properties props = LedgerTopology.streamsProperties(config);
    props.putAll(extraStreamsProps);
    KafkaStreams streams =
        new KafkaStreams(LedgerTopology.build(topics, config, formats, ledgerKey, metrics), props);
    streams.start();
    return new LedgerRuntime(streams);
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
