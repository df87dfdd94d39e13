package dev.trustledger.ledger.testkit;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.topology.LedgerFormats;
import dev.trustledger.ledger.topology.LedgerTopics;
import dev.trustledger.ledger.topology.LedgerTopology;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.testutil.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
  private final TestOutputTopic<String, byte[]> entries;
  private final TestOutputTopic<String, byte[]> rejections;
  private final TestOutputTopic<String, byte[]> checkpoints;
  private final Path stateDir;
  private final LedgerConfig config;
  private final List<LedgerEntry> entriesSeen = new ArrayList<>();
  private final List<Rejection> rejectionsSeen = new ArrayList<>();
  private final List<Checkpoint> checkpointsSeen = new ArrayList<>();
  private int published;

  public LedgerDriver() {
    this(Map.of());
  }

  public LedgerDriver(Map<String, Object> overrides) {
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
            LedgerTopology.build(topics, config, formats, LEDGER_KEY),
            props,
            Instant.ofEpochMilli(0));
    events =
        driver.createInputTopic(topics.events(), new StringSerializer(), new ByteArraySerializer());
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
    published++;
    drain();
    return this;
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

  /** Entries that record an input event (not cascades): one per accepted input. */
  public List<LedgerEntry> inputEntries() {
    return entriesSeen.stream().filter(e -> e.getEvent() instanceof SignedEvent).toList();
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
  public dev.trustledger.ledger.audit.AuditLog auditLog() {
    List<dev.trustledger.ledger.audit.Located<LedgerEntry>> located = new ArrayList<>();
    for (int i = 0; i < entriesSeen.size(); i++) {
      located.add(dev.trustledger.ledger.audit.Located.of(0, i, entriesSeen.get(i)));
    }
    List<dev.trustledger.ledger.audit.Located<Checkpoint>> cps = new ArrayList<>();
    for (int i = 0; i < checkpointsSeen.size(); i++) {
      cps.add(dev.trustledger.ledger.audit.Located.of(0, i, checkpointsSeen.get(i)));
    }
    return new dev.trustledger.ledger.audit.AuditLog(Map.of(0, located), cps);
  }

  /** An auditor with this ledger's admin and checkpoint keys. */
  public dev.trustledger.ledger.audit.LogAuditor auditor() {
    return dev.trustledger.ledger.audit.LogAuditor.of(config, LEDGER_KEY.publicKey());
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
