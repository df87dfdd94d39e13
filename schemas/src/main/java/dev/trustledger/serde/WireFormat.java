package dev.trustledger.serde;

/**
 * How one record type is framed as Kafka record values: Avro single-object encoding (no registry)
 * or the Confluent wire format (schema registry).
 *
 * @param <T> the generated Avro class
 */
public interface WireFormat<T> {

  /** Encodes {@code value} for {@code topic}. */
  byte[] encode(String topic, T value);

  /**
   * Decodes bytes read from {@code topic}.
   *
   * @throws SerdeException when the bytes are malformed or written with an unsupported schema
   */
  T decode(String topic, byte[] bytes) throws SerdeException;
}
