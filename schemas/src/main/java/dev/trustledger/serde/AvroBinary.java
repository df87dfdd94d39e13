package dev.trustledger.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary encoding of generated records, with the strict decoding the ledger needs: every
 * byte must be consumed, and length prefixes are bounded so that hostile input cannot make the
 * decoder allocate gigabytes.
 */
public final class AvroBinary {
  /** Upper bound for one Avro string or bytes value, far above any legitimate field. */
  public static final int MAX_FIELD_BYTES = 4 * 1024 * 1024;

  static {
    setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_FIELD_BYTES);
    setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_FIELD_BYTES);
    setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", MAX_FIELD_BYTES);
  }

  private static final Map<Schema, SpecificDatumWriter<Object>> WRITERS = new ConcurrentHashMap<>();
  private static final Map<Schema, Map<Schema, DatumReader<Object>>> READERS =
      new ConcurrentHashMap<>();
  private static final ThreadLocal<ByteArrayOutputStream> BUFFER =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(512));
  private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

  private AvroBinary() {}

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }

  /** Avro binary of {@code record} under its own schema. */
  public static byte[] encode(SpecificRecord record) {
    return encode(record, record.getSchema());
  }

  /**
   * Avro binary of {@code record} written with {@code schema}, which must name the same fields at
   * the same positions.
   */
  public static byte[] encode(Object record, Schema schema) {
    ByteArrayOutputStream out = BUFFER.get();
    out.reset();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, ENCODER.get());
    ENCODER.set(encoder);
    try {
      WRITERS.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes {@code length} bytes at {@code offset} written with {@code writer} into the generated
   * class of {@code reader}.
   *
   * @throws SerdeException MALFORMED when the bytes are not a complete, valid encoding;
   *     UNSUPPORTED_SCHEMA when {@code writer} cannot be read as {@code reader}
   */
  @SuppressWarnings("unchecked")
  public static <T> T decode(byte[] bytes, int offset, int length, Schema writer, Schema reader)
      throws SerdeException {
    DatumReader<Object> datumReader;
    try {
      datumReader =
          READERS
              .computeIfAbsent(writer, w -> new ConcurrentHashMap<>())
              .computeIfAbsent(reader, r -> new SpecificDatumReader<>(writer, r));
    } catch (AvroRuntimeException e) {
      throw new SerdeException(
          SerdeException.Kind.UNSUPPORTED_SCHEMA, "writer schema cannot be read: " + e, e);
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
    Object value;
    try {
      value = datumReader.read(null, decoder);
    } catch (org.apache.avro.AvroTypeException e) {
      throw new SerdeException(
          SerdeException.Kind.UNSUPPORTED_SCHEMA,
          "writer schema cannot be read: " + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new SerdeException(
          SerdeException.Kind.MALFORMED, "invalid Avro binary: " + describe(e), e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new SerdeException(
            SerdeException.Kind.MALFORMED, "trailing bytes after the Avro record");
      }
    } catch (IOException e) {
      throw new SerdeException(SerdeException.Kind.MALFORMED, "invalid Avro binary", e);
    }
    return (T) value;
  }

  /** Decodes bytes written with the reader's own schema. */
  public static <T> T decode(byte[] bytes, Schema schema) throws SerdeException {
    return decode(bytes, 0, bytes.length, schema, schema);
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
