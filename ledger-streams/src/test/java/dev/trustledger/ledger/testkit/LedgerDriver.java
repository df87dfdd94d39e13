package dev.trustledger.ledger.testkit;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.InputRecord;
import dev.trustledger.ledger.audit.Located;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.sequencer.LedgerStep;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.topology.LedgerMetrics;
import dev.trustledger.ledger.topology.LedgerTopology;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.testutil.Fixtures;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The ledger topology in {@link TopologyTestDriver}, with helpers that read like the ledger's
 * users: publish an event at a ledger time, read the entries and rejections it produced.
 */
public final class LedgerDriver implements AutoCloseable {
  public static final Ed25519PrivateKey ADMIN = Fixtures.key("admin");
  public static final Ed25519PrivateKey LEDGER_KEY = Fixtures.key("ledger");

  private final TopologyTestDriver driver;
  private final LedgerTopics topics = LedgerTopics.DEFAULT;
  private final LedgerFormats formats = LedgerFormats.singleObject();
  private final TestInputTopic<String, byte[]> events;
  private final TestInputTopic<String, byte[]> keys;
  private final TestOutputTopic<String, byte[]> entries;
  private final TestOutputTopic<String, byte[]> rejections;
  private final TestOutputTopic<String, byte[]> checkpoints;
  private final Path stateDir;
  private final LedgerConfig config;
  private final List<LedgerEntry> entriesSeen = new ArrayList<>();
  private final List<Rejection> rejectionsSeen = new ArrayList<>();
  private final List<Checkpoint> checkpointsSeen = new ArrayList<>();
  private final List<InputRecord> inputsSeen = new ArrayList<>();
  private int published;

  public LedgerDriver() {
    this(Map.of());
  }

  public LedgerDriver(Map<String, Object> overrides) {
    this(overrides, UnaryOperator.identity());
  }

  /** A ledger whose sequencer runs {@code step} applied to the ledger's own step. */
  public LedgerDriver(Map<String, Object> overrides, UnaryOperator<LedgerStep> step) {
    try {
      stateDir = Files.createTempDirectory("ledger-ttd");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, Object> values = new HashMap<>();
    values.put(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, Base64Url.encode(ADMIN.publicKey().raw()));
    values.put(LedgerConfig.STATE_DIR_CONFIG, stateDir.toString());
    values.put(LedgerConfig.LEDGER_NAME_CONFIG, "test.ledger");
    // TopologyTestDriver gives every topic one partition.
    values.put(LedgerConfig.ENTRIES_PARTITIONS_CONFIG, 1);
    values.putAll(overrides);
    config = new LedgerConfig(values);
    Properties props = LedgerTopology.streamsProperties(config);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver =
        new TopologyTestDriver(
            LedgerTopology.build(topics, config, formats, LEDGER_KEY, LedgerMetrics.NONE, step),
            props,
            Instant.ofEpochMilli(0));
    events =
        driver.createInputTopic(topics.events(), new StringSerializer(), new ByteArraySerializer());
    keys =
        driver.createInputTopic(topics.keys(), new StringSerializer(), new ByteArraySerializer());
    entries =
        driver.createOutputTopic(
            topics.entries(), new StringDeserializer(), new ByteArrayDeserializer());
    rejections =
        driver.createOutputTopic(
            topics.rejections(), new StringDeserializer(), new ByteArrayDeserializer());
    checkpoints =
        driver.createOutputTopic(
            topics.checkpoints(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  public LedgerConfig config() {
    return config;
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  /** Publishes {@code event} keyed by its subject with ledger time {@code t}. */
  public LedgerDriver publish(SignedEvent event, long t) {
    return publishRaw(event.getSubjectId(), formats.events().encode(topics.events(), event), t);
  }

  /** Publishes raw bytes with ledger time {@code t}. */
  public LedgerDriver publishRaw(String key, byte[] value, long t) {
    events.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(t)));
    SignedEvent decoded;
    try {
      decoded = formats.events().decode(topics.events(), value);
    } catch (SerdeException e) {
      decoded = null;
    }
    inputsSeen.add(new InputRecord(0, published, t, key, decoded));
    published++;
    drain();
    return this;
  }

  /** Writes raw bytes straight to {@code ledger.keys}, as anyone who can produce to it could. */
  public LedgerDriver writeKeyRecord(String principalId, byte[] value, long t) {
    keys.pipeInput(new TestRecord<>(principalId, value, Instant.ofEpochMilli(t)));
    drain();
    return this;
  }

  /** Writes a key record straight to {@code ledger.keys}. */
  public LedgerDriver writeKeyRecord(dev.trustledger.avro.KeyRecord record, long t) {
    return writeKeyRecord(record.getPrincipalId(), formats.keys().encode(topics.keys(), record), t);
  }

  /**
   * Writes raw bytes straight to {@code topic} (an output topic), as anyone who can produce to it
   * could.
   */
  public LedgerDriver writeRaw(String topic, String key, byte[] value, long t) {
    driver
        .createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
        .pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(t)));
    drain();
    return this;
  }

  public LedgerFormats formats() {
    return formats;
  }

  public int published() {
    return published;
  }

  /** Moves the wall clock (checkpoint punctuation). */
  public void advanceWallClock(long ms) {
    driver.advanceWallClockTime(java.time.Duration.ofMillis(ms));
    drain();
  }

  private void drain() {
    try {
      for (var r : entries.readRecordsToList()) {
        entriesSeen.add(formats.entries().decode(topics.entries(), r.value()));
      }
      for (var r : rejections.readRecordsToList()) {
        rejectionsSeen.add(formats.rejections().decode(topics.rejections(), r.value()));
      }
      for (var r : checkpoints.readRecordsToList()) {
        checkpointsSeen.add(formats.checkpoints().decode(topics.checkpoints(), r.value()));
      }
    } catch (SerdeException e) {
      throw new AssertionError("ledger wrote undecodable output", e);
    }
  }

  public List<LedgerEntry> entries() {
    return List.copyOf(entriesSeen);
  }

  /**
   * Entries that record an input event (not the genesis, which the ledger writes itself, nor
   * cascades): one per accepted input.
   */
  public List<LedgerEntry> inputEntries() {
    return entriesSeen.stream()
        .filter(
            e ->
                e.getEvent() instanceof SignedEvent s && !(s.getPayload() instanceof LedgerGenesis))
        .toList();
  }

  /** The sequencer's record of a principal. */
  public PrincipalState principal(String id) {
    org.apache.kafka.streams.state.KeyValueStore<String, PrincipalState> store =
        driver.getKeyValueStore(StoreNames.PRINCIPALS);
    return store.get(id);
  }

  /** The ledger's head. */
  public LedgerHead head() {
    org.apache.kafka.streams.state.KeyValueStore<String, LedgerHead> store =
        driver.getKeyValueStore(StoreNames.HEAD);
    return store.get(StoreNames.HEAD_KEY);
  }

  /** True when every input so far has exactly one outcome. */
  public boolean everyInputAccountedFor() {
    return inputEntries().size() + rejectionsSeen.size() == published;
  }

  public List<Rejection> rejections() {
    return List.copyOf(rejectionsSeen);
  }

  public List<Checkpoint> checkpoints() {
    return List.copyOf(checkpointsSeen);
  }

  /** The last output (entry or rejection) for the last input. */
  public LedgerEntry lastEntry() {
    return entriesSeen.get(entriesSeen.size() - 1);
  }

  public Rejection lastRejection() {
    return rejectionsSeen.isEmpty() ? null : rejectionsSeen.get(rejectionsSeen.size() - 1);
  }

  /** Entries of one subject in seq order. */
  public List<LedgerEntry> chain(String subjectId) {
    return entriesSeen.stream().filter(e -> e.getSubjectId().equals(subjectId)).toList();
  }

  /** The log as an auditor sees it: partition 0 holds every entry here. */
  public AuditLog auditLog() {
    List<Located<LedgerEntry>> located = new ArrayList<>();
    for (int i = 0; i < entriesSeen.size(); i++) {
      located.add(Located.of(0, i, entriesSeen.get(i)));
    }
    List<Located<Checkpoint>> cps = new ArrayList<>();
    for (int i = 0; i < checkpointsSeen.size(); i++) {
      cps.add(Located.of(0, i, checkpointsSeen.get(i)));
    }
    List<Located<Rejection>> rejected = new ArrayList<>();
    for (int i = 0; i < rejectionsSeen.size(); i++) {
      rejected.add(Located.of(0, i, rejectionsSeen.get(i)));
    }
    return new AuditLog(Map.of(0, located), cps, rejected, List.copyOf(inputsSeen));
  }

  /** The read side over this driver's stores, as a node reads them. */
  public dev.trustledger.ledger.read.LedgerReader reader() {
    return new dev.trustledger.ledger.read.StoreLedgerReader(
        new dev.trustledger.ledger.read.StoreLedgerReader.Stores() {
          @Override
          @SuppressWarnings("unchecked")
          public <K, V> org.apache.kafka.streams.state.ReadOnlyKeyValueStore<K, V> keyValue(
              String name) {
            return (org.apache.kafka.streams.state.ReadOnlyKeyValueStore<K, V>)
                driver.getKeyValueStore(name);
          }

          @Override
          @SuppressWarnings("unchecked")
          public <K, V> org.apache.kafka.streams.state.ReadOnlyWindowStore<K, V> window(
              String name) {
            return (org.apache.kafka.streams.state.ReadOnlyWindowStore<K, V>)
                driver.getWindowStore(name);
          }
        },
        formats.checkpoints());
  }

  /** An auditor that trusts this ledger's key. */
  public LogAuditor auditor() {
    return LogAuditor.of(LEDGER_KEY.publicKey());
  }

  @Override
  public void close() {
    driver.close();
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort
    }
  }
}
