package dev.trustledger.ledger.audit;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.ledger.topology.LedgerFormats;
import dev.trustledger.ledger.topology.LedgerTopics;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole log from Kafka with a plain consumer: every committed record of the entries and
 * checkpoints topics, from the beginning to the current end, in partition offset order.
 */
public final class TopicLogReader {
  private final String bootstrapServers;
  private final LedgerTopics topics;
  private final LedgerFormats formats;
  private java.util.function.LongConsumer progress = n -> {};
  private long read;

  public TopicLogReader(String bootstrapServers, LedgerTopics topics, LedgerFormats formats) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.formats = formats;
  }

  /** Every record of the entries, checkpoints and rejections topics, for an export file. */
  public List<ExportFile.Line> readForExport() {
    List<ExportFile.Line> lines = new ArrayList<>();
    readTopic(
        topics.entries(),
        formats.entries(),
        (record, located) -> lines.add(line("entry", located)));
    readTopic(
        topics.checkpoints(),
        formats.checkpoints(),
        (record, located) -> lines.add(line("checkpoint", located)));
    readTopic(
        topics.rejections(),
        formats.rejections(),
        (record, located) -> lines.add(line("rejection", located)));
    return lines;
  }

  private static ExportFile.Line line(String type, Located<?> located) {
    if (located.value() == null) {
      throw new IllegalStateException(
          "undecodable "
              + type
              + " at "
              + located.partition()
              + "/"
              + located.offset()
              + ": "
              + located.error());
    }
    return new ExportFile.Line(
        type,
        located.partition(),
        located.offset(),
        (org.apache.avro.specific.SpecificRecord) located.value());
  }

  /** Called with the number of records read so far, every 100,000 records. */
  public TopicLogReader onProgress(java.util.function.LongConsumer progress) {
    this.progress = progress;
    return this;
  }

  public AuditLog read() {
    Map<Integer, List<Located<LedgerEntry>>> entries = new HashMap<>();
    List<Located<Checkpoint>> checkpoints = new ArrayList<>();
    readTopic(
        topics.entries(),
        formats.entries(),
        (record, located) ->
            entries.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(located));
    readTopic(
        topics.checkpoints(), formats.checkpoints(), (record, located) -> checkpoints.add(located));
    return new AuditLog(entries, checkpoints);
  }

  private <T> void readTopic(
      String topic,
      WireFormat<T> format,
      BiConsumer<ConsumerRecord<byte[], byte[]>, Located<T>> sink) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
