package dev.trustledger.cli;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventHashes;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits on Kafka for the ledger's decision about one event published there: reads {@code
 * ledger.entries} and {@code ledger.rejections} (committed records only) from where they stood
 * before the event was published, until an entry recording the event or a rejection naming its hash
 * appears. No node is needed.
 */
final class KafkaDecision implements AutoCloseable {
  /** What the ledger decided. */
  sealed interface Decision {}

  record Accepted(LedgerEntry entry) implements Decision {}

  record Rejected(Rejection rejection) implements Decision {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final LedgerFormats formats;
  private final LedgerTopics topics = LedgerTopics.DEFAULT;

  /** Starts reading at the current ends of the outcome topics: call before publishing. */
  KafkaDecision(Map<String, Object> kafka, LedgerFormats formats, Duration timeout) {
    this.formats = formats;
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> all = new ArrayList<>();
      for (String topic : List.of(topics.entries(), topics.rejections())) {
        for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
          all.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(all);
      consumer.seekToEnd(all);
      all.forEach(tp -> consumer.position(tp, timeout));
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** The decision about {@code event}, if the ledger makes it within {@code timeout}. */
  Optional<Decision> await(SignedEvent event, Duration timeout) {
    byte[] hash = EventHashes.of(event);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        try {
          if (r.topic().equals(topics.entries())) {
            LedgerEntry e = formats.entries().decode(r.topic(), r.value());
            if (e.getEvent() instanceof SignedEvent s && Arrays.equals(EventHashes.of(s), hash)) {
              return Optional.of(new Accepted(e));
            }
          } else {
            Rejection rej = formats.rejections().decode(r.topic(), r.value());
            if (rej.getEventHash() != null
                && Arrays.equals(Buffers.toArray(rej.getEventHash()), hash)) {
              return Optional.of(new Rejected(rej));
            }
          }
        } catch (SerdeException e) {
          // Not a record of this ledger's formats: not the decision sought.
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
