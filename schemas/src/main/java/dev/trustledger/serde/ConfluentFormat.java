package dev.trustledger.serde;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then Avro binary.
 * Writers register (or look up) their schema under the subject {@code <topic>-value}; readers fetch
 * the writer schema by id and resolve it to their own.
 *
 * @param <T> the generated Avro class
 */
public final class ConfluentFormat<T extends SpecificRecord> implements WireFormat<T> {
  static final int HEADER_LENGTH = 5;
  private static final byte MAGIC = 0;

  private final Schema schema;
  private final SchemaRegistryClient registry;
  private final boolean autoRegister;

  private ConfluentFormat(Schema schema, SchemaRegistryClient registry, boolean autoRegister) {
    this.schema = schema;
    this.registry = registry;
    this.autoRegister = autoRegister;
  }

  /**
   * @param autoRegister register the schema on first write; otherwise it must be registered
   */
  public static <T extends SpecificRecord> ConfluentFormat<T> of(
      Schema schema, SchemaRegistryClient registry, boolean autoRegister) {
    return new ConfluentFormat<>(schema, registry, autoRegister);
  }

  /** The subject a topic's values are registered under (TopicNameStrategy). */
  public static String subject(String topic) {
    return topic + "-value";
  }

  @Override
  public byte[] encode(String topic, T value) {
    String subject = subject(topic);
    int id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
    byte[] body = AvroBinary.encode(value, schema);
    return ByteBuffer.allocate(HEADER_LENGTH + body.length).put(MAGIC).putInt(id).put(body).array();
  }

  /**
   * {@inheritDoc}
   *
   * @throws SchemaRegistryException when the registry cannot be asked (not the bytes' fault)
   */
  @Override
  public T decode(String topic, byte[] bytes) throws SerdeException {
    if (bytes == null) {
      throw new SerdeException(SerdeException.Kind.MALFORMED, "no value (null record)");
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new SerdeException(
          SerdeException.Kind.MALFORMED,
          "Confluent header truncated: got " + bytes.length + " bytes, want at least 5");
    }
    if (bytes[0] != MAGIC) {
      throw new SerdeException(
          SerdeException.Kind.MALFORMED,
          String.format("not the Confluent wire format: magic byte %02x, want 00", bytes[0]));
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new SerdeException(
            SerdeException.Kind.UNSUPPORTED_SCHEMA, "schema id " + id + " is not registered", e);
      }
      throw e;
    }
    return AvroBinary.decode(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, writer, schema);
  }
}
