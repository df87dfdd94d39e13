package dev.trustledger.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka {@link Serde}s over a {@link WireFormat}. */
public final class KafkaSerdes {
  private KafkaSerdes() {}

  /**
   * A serde whose deserializer throws Kafka's {@link SerializationException} (wrapping the {@link
   * SerdeException}) for undecodable bytes. Where every input must be accounted for, read raw bytes
   * and call {@link WireFormat#decode} instead.
   */
  public static <T> Serde<T> of(WireFormat<T> format) {
    Serializer<T> serializer = (topic, value) -> value == null ? null : format.encode(topic, value);
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return format.decode(topic, bytes);
          } catch (SerdeException e) {
            throw new SerializationException(
                e.kind() + " value on " + topic + ": " + e.getMessage(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
