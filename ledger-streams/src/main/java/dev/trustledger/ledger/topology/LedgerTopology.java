package dev.trustledger.ledger.topology;

import dev.trustledger.avro.ChainHead;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.EventOutcome;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LogState;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.TrustState;
import dev.trustledger.avro.VerifiedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.directory.InternalSerdes;
import dev.trustledger.ledger.rules.LedgerRules;
import dev.trustledger.ledger.verify.EventVerifier;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The ledger as a function from configuration to a Kafka Streams {@link Topology}; {@code main}
 * only runs it, and tests run the very same function in {@code TopologyTestDriver}.
 *
 * <pre>
 * ledger.events (N partitions)
 *   -> verify (parallel: decode, signatures, proof of possession, fields; global signer keys)
 *   -> sequencer topic (1 partition, internal)
 *   -> sequence (decide, chain, fold, log hash, checkpoints; RocksDB stores)
 *   -> ledger.entries | ledger.rejections | ledger.checkpoints | ledger.keys
 * ledger.keys -> global store signer-keys (read by verify)
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
      Ed25519PrivateKey ledgerKey) {
    return build(topics, config, formats, ledgerKey, LedgerMetrics.NONE);
  }

  /** The topology, reporting to {@code metrics}. */
  public static Topology build(
      LedgerTopics topics,
      LedgerConfig config,
      LedgerFormats formats,
      Ed25519PrivateKey ledgerKey,
      LedgerMetrics metrics) {
    LedgerRules rules = LedgerRules.of(config);
    Duration windowRetention =
        Duration.ofMillis(2 * (config.replayWindowMs() + config.futureSkewMs()));

    StreamsBuilder builder = new StreamsBuilder();
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.SIGNER_KEYS),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.keys(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()),
        KeysUpdater::new);

    builder.addStateStore(kv(StoreNames.PRINCIPALS, Principal.getClassSchema()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.CHILDREN), Serdes.String(), Serdes.String()));
    builder.addStateStore(kv(StoreNames.TRUST, TrustState.getClassSchema()));
    builder.addStateStore(kv(StoreNames.CHAIN_HEADS, ChainHead.getClassSchema()));
    builder.addStateStore(kv(StoreNames.ENTRIES, LedgerEntry.getClassSchema()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.SEQUENCE), Serdes.String(), Serdes.Long()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                StoreNames.OUTCOMES, windowRetention, Duration.ofMillis(1), false),
            Serdes.String(),
            InternalSerdes.<EventOutcome>of(EventOutcome.getClassSchema())));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                StoreNames.INTERACTIONS, windowRetention, Duration.ofMillis(1), false),
            Serdes.String(),
            Serdes.Long()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.LOG_STATE),
            Serdes.Integer(),
            InternalSerdes.<LogState>of(LogState.getClassSchema())));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.CHECKPOINTS),
            Serdes.Integer(),
            InternalSerdes.<Checkpoint>of(Checkpoint.getClassSchema())));

    builder.stream(topics.events(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .process(
            () ->
                new VerifyProcessor(
                    formats.events(),
                    new EventVerifier(new PublicKeyCache(100_000)),
                    rules,
                    metrics),
            Named.as("verify"))
        .repartition(
            Repartitioned.<String, VerifiedEvent>with(
                    Serdes.String(), InternalSerdes.of(VerifiedEvent.getClassSchema()))
                .withName(SEQUENCER)
                .withNumberOfPartitions(1))
        .process(
            () ->
                new SequencerProcessor(
                    topics,
                    formats,
                    new EventVerifier(new PublicKeyCache(10_000)),
                    rules,
                    ledgerKey,
                    config.ledgerName(),
                    config.entriesPartitions(),
                    config.checkpointEntries(),
                    config.checkpointIntervalMs(),
                    metrics),
            Named.as("sequence"),
            StoreNames.PRINCIPALS,
            StoreNames.CHILDREN,
            StoreNames.TRUST,
            StoreNames.CHAIN_HEADS,
            StoreNames.ENTRIES,
            StoreNames.SEQUENCE,
            StoreNames.OUTCOMES,
            StoreNames.INTERACTIONS,
            StoreNames.LOG_STATE,
            StoreNames.CHECKPOINTS)
        .to(
            Output.topics(),
            Produced.with(Serdes.String(), Output.serde())
                .withStreamPartitioner(
                    Output.partitioner(topics.entries(), config.entriesPartitions())));
    return builder.build();
  }

  /** Kafka Streams settings of a ledger node: exactly-once v2 and the configured resources. */
  public static Properties streamsProperties(LedgerConfig config) {
    Properties props = new Properties();
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
    return props;
  }

  private static <V extends org.apache.avro.specific.SpecificRecord>
      org.apache.kafka.streams.state.StoreBuilder<
              org.apache.kafka.streams.state.KeyValueStore<String, V>>
          kv(String name, org.apache.avro.Schema schema) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), InternalSerdes.<V>of(schema));
  }
}
