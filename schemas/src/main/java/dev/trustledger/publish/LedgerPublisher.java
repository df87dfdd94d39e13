package dev.trustledger.publish;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.serde.WireFormat;
import dev.trustledger.topic.LedgerTopics;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes signed events to {@code ledger.events}, keyed by subject id, through an idempotent
 * producer ({@code acks=all}), so that a retried send is written once. Thread-safe.
 *
 * <pre>{@code
 * try (LedgerPublisher publisher = LedgerPublisher.create(bootstrap, format)) {
 *   publisher.publish(Events.suspend(agentId, "incident 7").sign(Signer.sponsor(key))).join();
 * }
 * }</pre>
 */
public final class LedgerPublisher implements AutoCloseable {
  /** The input topic of the ledger. */
  public static final String EVENTS_TOPIC = LedgerTopics.DEFAULT.events();

  private final Producer<String, byte[]> producer;
  private final WireFormat<SignedEvent> format;
  private final String topic;

  public LedgerPublisher(
      Producer<String, byte[]> producer, WireFormat<SignedEvent> format, String topic) {
    this.producer = producer;
    this.format = format;
    this.topic = topic;
  }

  /**
   * A publisher with its own idempotent producer; {@code overrides} go to the producer as given.
   */
  public static LedgerPublisher create(
      String bootstrapServers, WireFormat<SignedEvent> format, Map<String, Object> overrides) {
    return new LedgerPublisher(
        new KafkaProducer<>(producerConfig(bootstrapServers, overrides)), format, EVENTS_TOPIC);
  }

  public static LedgerPublisher create(String bootstrapServers, WireFormat<SignedEvent> format) {
    return create(bootstrapServers, format, Map.of());
  }

  /** Producer settings the ledger's input needs: idempotence, acks=all, string keys, raw values. */
  public static Properties producerConfig(String bootstrapServers, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.putAll(overrides);
    return props;
  }

  /** Sends {@code event} keyed by its subject; completes when the broker has acknowledged it. */
  public CompletableFuture<RecordMetadata> publish(SignedEvent event) {
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    byte[] value = format.encode(topic, event);
    producer.send(
        new ProducerRecord<>(topic, event.getSubjectId(), value),
        (metadata, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(metadata);
          }
        });
    return result;
  }

  /** Waits until every event sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
