package dev.trustledger.ledger.testkit;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the ledger's outputs with a read_committed consumer and counts, per input accepted or
 * rejected, how many outcomes have been committed.
 */
public final class OutputCounter implements AutoCloseable {
  private final LedgerTopics topics = LedgerTopics.DEFAULT;
  private final LedgerFormats formats = LedgerFormats.singleObject();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Integer> acceptedEvents = new HashMap<>();
  private final Map<RejectionReason, Integer> reasons = new EnumMap<>(RejectionReason.class);
  private long entries;
  private long inputEntries;
  private long rejections;
  private volatile Throwable failure;

  public OutputCounter(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::run, "output-counter");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.entries(), topics.rejections())) {
        // The ledger may still be creating its topics.
        List<org.apache.kafka.common.PartitionInfo> infos = List.of();
        while (running.get() && infos.isEmpty()) {
          infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
          if (infos.isEmpty()) {
            Thread.sleep(100);
          }
        }
        infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          count(r);
        }
      }
    } catch (Throwable t) {
      if (running.get()) {
        failure = t;
      }
    } finally {
      consumer.close();
    }
  }

  private synchronized void count(ConsumerRecord<byte[], byte[]> r) throws SerdeException {
    if (r.topic().equals(topics.entries())) {
      LedgerEntry entry = formats.entries().decode(r.topic(), r.value());
      entries++;
      if (entry.getEvent() instanceof SignedEvent e && !(e.getPayload() instanceof LedgerGenesis)) {
        inputEntries++;
        acceptedEvents.merge(e.getSubjectId() + "/" + e.getEventId(), 1, Integer::sum);
      }
    } else {
      Rejection rejection = formats.rejections().decode(r.topic(), r.value());
      rejections++;
      reasons.merge(rejection.getReason(), 1, Integer::sum);
    }
  }

  /** Committed outcomes (input entries plus rejections). */
  public synchronized long outcomes() {
    if (failure != null) {
      throw new IllegalStateException("output counter failed", failure);
    }
    return inputEntries + rejections;
  }

  public synchronized long entries() {
    return entries;
  }

  public synchronized long inputEntries() {
    return inputEntries;
  }

  public synchronized long rejections() {
    return rejections;
  }

  public synchronized Map<RejectionReason, Integer> reasons() {
    return Map.copyOf(reasons);
  }

  /** Accepted (subject, event id) pairs seen more than once: must stay empty. */
  public synchronized List<String> duplicateAcceptances() {
    return acceptedEvents.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
