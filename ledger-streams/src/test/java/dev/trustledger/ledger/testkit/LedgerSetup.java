package dev.trustledger.ledger.testkit;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;

/** Configuration and publishing shared by the broker integration tests. */
public final class LedgerSetup {
  private LedgerSetup() {}

  /** Ledger settings for a test cluster: 3 partitions, 2 threads, fast checkpoints. */
  public static Map<String, Object> config(String bootstrap, Path stateDir, String appId) {
    Map<String, Object> values = new HashMap<>();
    values.put(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    values.put(LedgerConfig.APPLICATION_ID_CONFIG, appId);
    values.put(LedgerConfig.STATE_DIR_CONFIG, stateDir.toString());
    values.put(
        LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG,
        Base64Url.encode(LedgerDriver.ADMIN.publicKey().raw()));
    values.put(LedgerConfig.LEDGER_NAME_CONFIG, "test.ledger");
    values.put(LedgerConfig.EVENTS_PARTITIONS_CONFIG, 3);
    values.put(LedgerConfig.ENTRIES_PARTITIONS_CONFIG, 3);
    values.put(LedgerConfig.STREAM_THREADS_CONFIG, 2);
    values.put(LedgerConfig.CHECKPOINT_ENTRIES_CONFIG, 500);
    values.put(LedgerConfig.CHECKPOINT_INTERVAL_MS_CONFIG, 1000L);
    return values;
  }

  /**
   * Consumer settings for tests that stop or replace stream threads: a member that did not leave
   * the group (Kafka Streams does not leave on close) is evicted after 6 s, not 45 s.
   */
  public static final Map<String, Object> SHORT_SESSIONS =
      Map.of(
          StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
          6000,
          StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
          1000);

  /** Starts the ledger on a cluster and waits until its topology runs. */
  public static LedgerRuntime startRuntime(LedgerConfig config) throws Exception {
    return startRuntime(config, Map.of());
  }

  /** Starts the ledger with extra Streams settings and waits until its topology runs. */
  public static LedgerRuntime startRuntime(LedgerConfig config, Map<String, Object> streams)
      throws Exception {
    LedgerRuntime ledger = LedgerRuntime.start(config, LedgerDriver.LEDGER_KEY, streams);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger.streams().state() == KafkaStreams.State.RUNNING);
    return ledger;
  }

  /**
   * Publishes inputs (events through the publisher library, raw bytes through a plain producer).
   */
  public static void publish(String bootstrap, List<Workload.Input> inputs) {
    try (LedgerPublisher publisher =
            LedgerPublisher.create(bootstrap, SingleObjectFormat.of(SignedEvent.getClassSchema()));
        KafkaProducer<String, byte[]> raw =
            new KafkaProducer<>(LedgerPublisher.producerConfig(bootstrap, Map.of()))) {
      List<CompletableFuture<?>> sent = new java.util.ArrayList<>();
      for (Workload.Input input : inputs) {
        sent.add(send(publisher, raw, input));
      }
      publisher.flush();
      raw.flush();
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
  }

  /**
   * Sends one input: an event keyed by its subject through the publisher library; raw bytes, or an
   * event under another key, through a plain producer. Completes when the broker acknowledged it.
   */
  public static CompletableFuture<?> send(
      LedgerPublisher publisher, KafkaProducer<String, byte[]> raw, Workload.Input input) {
    if (input.event() != null && input.key().equals(input.event().getSubjectId())) {
      return publisher.publish(input.event());
    }
    byte[] value =
        input.raw() != null
            ? input.raw()
            : SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema())
                .encode(LedgerPublisher.EVENTS_TOPIC, input.event());
    CompletableFuture<Object> acknowledged = new CompletableFuture<>();
    raw.send(
        new ProducerRecord<>(LedgerPublisher.EVENTS_TOPIC, input.key(), value),
        (metadata, e) -> {
          if (e == null) {
            acknowledged.complete(metadata);
          } else {
            acknowledged.completeExceptionally(e);
          }
        });
    return acknowledged;
  }
}
