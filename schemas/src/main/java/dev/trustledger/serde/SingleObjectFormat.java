package dev.trustledger.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of
 * the writer schema, then Avro binary. The embedded default, needing no registry. Older writer
 * schemas can be added with {@link #withWriterSchema(Schema)} so their records stay readable.
 *
 * @param <T> the generated Avro class
 */
public final class SingleObjectFormat<T extends SpecificRecord> implements WireFormat<T> {
  static final int HEADER_LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private final Schema schema;
  private final byte[] header;
  private final Map<Long, Schema> writers = new ConcurrentHashMap<>();

  private SingleObjectFormat(Schema schema) {
    this.schema = schema;
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.header =
        ByteBuffer.allocate(HEADER_LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put(MARKER_0)
            .put(MARKER_1)
            .putLong(fingerprint)
            .array();
    writers.put(fingerprint, schema);
  }

  /** The format for records of {@code schema} (a generated class's {@code SCHEMA$}). */
  public static <T extends SpecificRecord> SingleObjectFormat<T> of(Schema schema) {
    return new SingleObjectFormat<>(schema);
  }

  /** Also accepts records written with {@code writer}, resolved to this format's schema. */
  public SingleObjectFormat<T> withWriterSchema(Schema writer) {
    writers.put(SchemaNormalization.parsingFingerprint64(writer), writer);
    return this;
  }

  @Override
  public byte[] encode(String topic, T value) {
    byte[] body = AvroBinary.encode(value, schema);
    byte[] out = new byte[HEADER_LENGTH + body.length];
    System.arraycopy(header, 0, out, 0, HEADER_LENGTH);
    System.arraycopy(body, 0, out, HEADER_LENGTH, body.length);
    return out;
  }

  @Override
  public T decode(String topic, byte[] bytes) throws SerdeException {
    if (bytes == null) {
      throw new SerdeException(SerdeException.Kind.MALFORMED, "no value (null record)");
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new SerdeException(
          SerdeException.Kind.MALFORMED,
          "single-object header truncated: got " + bytes.length + " bytes, want at least 10");
    }
    if (bytes[0] == 0) {
      throw new SerdeException(
          SerdeException.Kind.UNSUPPORTED_SCHEMA,
          String.format(
              "a record in the Confluent wire format (schema id %d), and this reader has no"
                  + " schema registry (schema.registry.url, --schema-registry-url)",
              ByteBuffer.wrap(bytes, 1, 4).getInt()));
    }
    if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
      throw new SerdeException(
          SerdeException.Kind.MALFORMED,
          String.format(
              "not Avro single-object encoding: got marker %02x %02x, want c3 01",
              bytes[0] & 0xff, bytes[1] & 0xff));
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema writer = writers.get(fingerprint);
    if (writer == null) {
      throw new SerdeException(
          SerdeException.Kind.UNSUPPORTED_SCHEMA,
          String.format("unknown writer schema fingerprint %016x", fingerprint));
    }
    return AvroBinary.decode(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, writer, schema);
  }
}
