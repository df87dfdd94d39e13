package dev.trustledger.ledger.audit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole log from Kafka with a plain consumer: every committed record of the entries,
 * checkpoints and rejections topics, and the input records still retained on the events topic, from
 * the beginning to the current end, in partition offset order. Inputs are read first, so that every
 * input read had its chance to be decided before the outputs are read.
 */
public final class TopicLogReader {
  private final Map<String, Object> clientSettings;
  private final LedgerTopics topics;
  private final LedgerFormats formats;
  private LongConsumer progress = n -> {};
  private long read;

  public TopicLogReader(String bootstrapServers, LedgerTopics topics, LedgerFormats formats) {
    this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, formats);
  }

  /**
   * A reader whose consumers take {@code clientSettings} (bootstrap servers, security) before the
   * reader's own settings.
   */
  public TopicLogReader(
      Map<String, Object> clientSettings, LedgerTopics topics, LedgerFormats formats) {
    this.clientSettings = Map.copyOf(clientSettings);
    this.topics = topics;
    this.formats = formats;
  }

  /** Called with the number of records read so far, every 100,000 records. */
  public TopicLogReader onProgress(LongConsumer progress) {
    this.progress = progress;
    return this;
  }

  public AuditLog read() {
    List<InputRecord> inputs = new ArrayList<>();
    readTopic(
        topics.events(),
        formats.events(),
        (record, located) ->
            inputs.add(
                new InputRecord(
                    record.partition(),
                    record.offset(),
                    record.timestamp(),
                    record.key() == null ? null : new String(record.key(), UTF_8),
                    located.value())));
    Map<Integer, List<Located<LedgerEntry>>> entries = new HashMap<>();
    readTopic(
        topics.entries(),
        formats.entries(),
        (record, located) ->
            entries.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(located));
    List<Located<Checkpoint>> checkpoints = new ArrayList<>();
    readTopic(
        topics.checkpoints(), formats.checkpoints(), (record, located) -> checkpoints.add(located));
    List<Located<Rejection>> rejections = new ArrayList<>();
    readTopic(
        topics.rejections(), formats.rejections(), (record, located) -> rejections.add(located));
    return new AuditLog(entries, checkpoints, rejections, inputs);
  }

  private <T> void readTopic(
      String topic,
      WireFormat<T> format,
      BiConsumer<ConsumerRecord<byte[], byte[]>, Located<T>> sink) {
    Properties props = new Properties();
    props.putAll(clientSettings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (!done(consumer, end)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Located<T> located;
          try {
            located =
                Located.of(
                    record.partition(), record.offset(), format.decode(topic, record.value()));
          } catch (SerdeException e) {
            located = Located.broken(record.partition(), record.offset(), e.getMessage());
          }
          sink.accept(record, located);
          if (++read % 100_000 == 0) {
            progress.accept(read);
          }
        }
      }
    }
  }

  private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
