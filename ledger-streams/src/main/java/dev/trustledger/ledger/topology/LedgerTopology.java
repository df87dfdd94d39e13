package dev.trustledger.ledger.topology;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.SequencerInput;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.sequencer.LedgerStep;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.store.AuthenticatedSerde;
import dev.trustledger.ledger.store.InternalSerdes;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.time.Duration;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The ledger as a function from configuration to a Kafka Streams {@link Topology}; {@code main}
 * only runs it, and tests run the very same function in {@code TopologyTestDriver}.
 *
 * <pre>
 * ledger.events (N partitions)
 *   -> verify (parallel: decode, signatures with the key ledger.keys names)
 *   -> sequencer topic (1 partition, internal; each record MAC'd with a key derived from the
 *      ledger key)
 *   -> sequence (Sequencer.step over RocksDB: one record per principal, the ledger's head,
 *                the tree of principals, decisions within the dedupe window)
 *   -> ledger.entries | ledger.rejections | ledger.checkpoints | ledger.keys
 * ledger.keys        -> global store signer-keys (records signed by the ledger key; read by
 *                       verify)
 * ledger.entries     -> global store entries (chains, for reads, and the Merkle tree of
 *                       entries, for tiles and proofs)
 * ledger.checkpoints -> global store checkpoints (each signed checkpoint, and the latest)
 * </pre>
 */
public final class LedgerTopology {
  /** Name of the internal topic between the two stages. */
  public static final String SEQUENCER = "sequencer";

  private LedgerTopology() {}

  public static Topology build(
      LedgerTopics topics,
      LedgerConfig config,
      LedgerFormats formats,
      Ed25519PrivateKey ledgerKey,
      LedgerMetrics metrics) {
    return build(topics, config, formats, ledgerKey, metrics, UnaryOperator.identity());
  }

  /**
   * The topology, whose sequencer runs {@code step} applied to the ledger's {@link Sequencer} (the
   * identity in production; tests wrap it to make it fail).
   */
  public static Topology build(
      LedgerTopics topics,
      LedgerConfig config,
      LedgerFormats formats,
      Ed25519PrivateKey ledgerKey,
      LedgerMetrics metrics,
      UnaryOperator<LedgerStep> step) {
    KeyRing ledgerKeys = config.keyRing(ledgerKey);
    // Decisions are kept twice as long as a duplicate can be refused for (the dedupe window).
    long retentionMs = 2 * (config.replayWindowMs() + config.futureSkewMs());

    StreamsBuilder builder = new StreamsBuilder();
    addGlobalStores(builder, topics, formats, ledgerKey.publicKey(), ledgerKeys, metrics);

    // The head and the principals change on every event: caching writes each key's latest value
    // to the changelog once per commit, not once per event.
    builder.addStateStore(kv(StoreNames.HEAD, LedgerHead.getClassSchema()).withCachingEnabled());
    builder.addStateStore(
        kv(StoreNames.PRINCIPALS, PrincipalState.getClassSchema()).withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.CHILDREN), Serdes.String(), Serdes.String()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                StoreNames.DECISIONS, Duration.ofMillis(retentionMs), Duration.ofMillis(1), false),
            Serdes.String(),
            InternalSerdes.<Decision>of(Decision.getClassSchema())));

    builder.stream(topics.events(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .process(
            () ->
                new VerifyProcessor(
                    formats.events(), new EventVerifier(new PublicKeyCache(100_000)), metrics),
            Named.as("verify"))
        .repartition(
            Repartitioned.<String, SequencerInput>with(
                    Serdes.String(),
                    AuthenticatedSerde.of(
                        InternalSerdes.<SequencerInput>of(SequencerInput.getClassSchema()),
                        ledgerKey))
                .withName(SEQUENCER)
                .withNumberOfPartitions(1))
        .process(
            () -> {
              Sequencer own = new Sequencer(new EventVerifier(new PublicKeyCache(10_000)));
              return new SequencerProcessor(
                  topics, formats, config, step.apply(own), own, ledgerKeys, metrics, retentionMs);
            },
            Named.as("sequence"),
            StoreNames.HEAD,
            StoreNames.PRINCIPALS,
            StoreNames.CHILDREN,
            StoreNames.DECISIONS)
        .to(
            Output.topics(),
            Produced.with(Serdes.String(), Output.serde())
                .withStreamPartitioner(
                    Output.partitioner(topics.entries(), config.entriesPartitions())));
    return builder.build();
  }

  /**
   * The topology of a reader node: the global stores alone (the log's chains and tree, the
   * checkpoints, the signer keys), which Kafka Streams runs without joining the ledger's group.
   */
  public static Topology globals(
      LedgerTopics topics,
      LedgerConfig config,
      LedgerFormats formats,
      Ed25519PrivateKey ledgerKey,
      LedgerMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    addGlobalStores(
        builder, topics, formats, ledgerKey.publicKey(), config.keyRing(ledgerKey), metrics);
    return builder.build();
  }

  private static void addGlobalStores(
      StreamsBuilder builder,
      LedgerTopics topics,
      LedgerFormats formats,
      dev.trustledger.crypto.Ed25519PublicKey ledgerPublicKey,
      KeyRing ledgerKeys,
      LedgerMetrics metrics) {
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.SIGNER_KEYS),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.keys(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()),
        () -> new KeysUpdater(formats.keys(), ledgerPublicKey, metrics));
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.ENTRIES),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.entries(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()),
        () -> new EntriesIndexer(formats.entries(), metrics));
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.CHECKPOINTS),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.checkpoints(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()),
        () -> new CheckpointsUpdater(formats.checkpoints(), ledgerKeys.publicKeys(), metrics));
  }

  /**
   * Kafka Streams settings of a ledger node: the configured client settings ({@code kafka.*}), then
   * exactly-once v2 and the configured resources.
   */
  public static Properties streamsProperties(LedgerConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafkaClientSettings());
    props.put(
        StreamsConfig.APPLICATION_ID_CONFIG, config.getString(LedgerConfig.APPLICATION_ID_CONFIG));
    props.put(
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(LedgerConfig.STATE_DIR_CONFIG));
    props.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(LedgerConfig.STREAM_THREADS_CONFIG));
    props.put(
        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
        config.getInt(LedgerConfig.STANDBY_REPLICAS_CONFIG));
    props.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG,
        (int) config.getShort(LedgerConfig.REPLICATION_FACTOR_CONFIG));
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        config.getLong(LedgerConfig.COMMIT_INTERVAL_MS_CONFIG));
    props.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
    // Static membership: a node restarted under its name rejoins without a rebalance; one that
    // stops for good leaves the group on close (LedgerRuntime), and one that dies is replaced
    // after the session timeout.
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        config.getInt(LedgerConfig.SESSION_TIMEOUT_MS_CONFIG));
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        Math.max(1000, config.getInt(LedgerConfig.SESSION_TIMEOUT_MS_CONFIG) / 4));
    return props;
  }

  private static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> kv(
      String name, Schema schema) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), InternalSerdes.<V>of(schema));
  }
}
