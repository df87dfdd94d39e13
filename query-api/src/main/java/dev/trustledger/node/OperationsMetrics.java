package dev.trustledger.node;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.topology.LedgerTopology;
import dev.trustledger.topic.LedgerTopics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator alerts on, besides the topology's own counters: the lag of the verify and
 * sequencer stages, the age of the newest checkpoint and of the newest entry, the stream state, the
 * size of the state directory, and the JVM. Values that need Kafka or the disk are refreshed every
 * 15 s on a thread of their own, so a scrape never waits for them.
 */
final class OperationsMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperationsMetrics.class);
  private static final long REFRESH_SECONDS = 15;

  private final LedgerRuntime runtime;
  private final Admin admin;
  private final String groupId;
  private final Map<String, String> stageOfTopic;
  private final Path stateDir;
  private final Clock clock;
  private final ScheduledExecutorService refresher;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<String, Long> lag = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile long stateBytes = -1;

  OperationsMetrics(
      LedgerConfig config, LedgerRuntime runtime, MeterRegistry registry, Clock clock) {
    this.runtime = runtime;
    this.clock = clock;
    this.groupId = config.getString(LedgerConfig.APPLICATION_ID_CONFIG);
    this.stateDir = Path.of(config.getString(LedgerConfig.STATE_DIR_CONFIG));
    this.stageOfTopic =
        Map.of(
            LedgerTopics.DEFAULT.events(),
            "verify",
            groupId + "-" + LedgerTopology.SEQUENCER + "-repartition",
            "sequencer");
    boolean full = runtime.role() == LedgerConfig.Role.FULL;
    this.admin = full ? Admin.create(config.kafkaClientSettings()) : null;

    if (full) {
      for (String stage : List.of("verify", "sequencer")) {
        lag.put(stage, -1L);
        Gauge.builder("ledger.stage.lag", lag, l -> l.getOrDefault(stage, -1L))
            .tag("stage", stage)
            .baseUnit("records")
            .description(
                "Records of the stage's input topic not yet consumed by the ledger's consumer group"
                    + " (end offsets minus committed offsets, all partitions); -1 until known."
                    + " Refreshed every 15 s")
            .register(registry);
      }
    }
    Gauge.builder("ledger.checkpoint.age", this, OperationsMetrics::checkpointAgeSeconds)
        .baseUnit("seconds")
        .description(
            "Age of the newest signed checkpoint this node sees (wall clock minus its created_at);"
                + " -1 before the first")
        .register(registry);
    Gauge.builder("ledger.last.entry.age", this, OperationsMetrics::lastEntryAgeSeconds)
        .baseUnit("seconds")
        .description(
            "Seconds since the newest entry this node's read model holds was decided (its view's"
                + " Kafka timestamp); -1 before the first")
        .register(registry);
    for (KafkaStreams.State state : KafkaStreams.State.values()) {
      Gauge.builder("ledger.stream.state", runtime, r -> r.streams().state() == state ? 1.0 : 0.0)
          .tag("state", state.name())
          .description("1 for the current state of this node's Kafka Streams client, 0 otherwise")
          .register(registry);
    }
    Gauge.builder("ledger.state", this, m -> m.stateBytes)
        .baseUnit("bytes")
        .description(
            "Bytes under state.dir (RocksDB stores and checkpoints); -1 until known. Refreshed"
                + " every 15 s")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);

    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ledger-operations-metrics");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  private double checkpointAgeSeconds() {
    try {
      List<Checkpoint> latest = runtime.reader().checkpoints();
      if (latest.isEmpty()) {
        return -1;
      }
      long createdAt = latest.get(latest.size() - 1).getCreatedAt();
      return Math.max(0, clock.millis() - createdAt) / 1000.0;
    } catch (RuntimeException e) {
      // The store is not queryable during a rebalance or a restore.
      return -1;
    }
  }

  private double lastEntryAgeSeconds() {
    long at = runtime.views().lastEntryTimestamp();
    return at < 0 ? -1 : Math.max(0, clock.millis() - at) / 1000.0;
  }

  private void refresh() {
    try {
      stateBytes = sizeOf(stateDir);
    } catch (RuntimeException e) {
      LOG.debug("cannot size {}: {}", stateDir, e.toString());
    }
    if (admin == null) {
      return;
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      committed.keySet().stream()
          .filter(tp -> stageOfTopic.containsKey(tp.topic()))
          .forEach(tp -> request.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
      Map<String, Long> sums = new HashMap<>();
      stageOfTopic.values().forEach(stage -> sums.put(stage, 0L));
      ends.forEach(
          (tp, end) -> {
            OffsetAndMetadata at = committed.get(tp);
            long behind = Math.max(0, end.offset() - (at == null ? 0 : at.offset()));
            sums.merge(stageOfTopic.get(tp.topic()), behind, Long::sum);
          });
      lag.putAll(sums);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.debug("cannot read the consumer group's lag: {}", e.toString());
    }
  }

  private static long sizeOf(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // removed while walking (compaction)
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    gc.close();
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
    }
  }
}
