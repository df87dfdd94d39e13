package dev.trustledger.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.testutil.SampleEvents;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class SingleObjectFormatTest {
  private static final String TOPIC = "ledger.events";
  private final SingleObjectFormat<SignedEvent> format =
      SingleObjectFormat.of(SignedEvent.getClassSchema());
  private final SignedEvent event = SampleEvents.agentRegistration();

  @Test
  void roundTrips() throws SerdeException {
    byte[] bytes = format.encode(TOPIC, event);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(format.decode(TOPIC, bytes)).isEqualTo(event);
  }

  @Test
  void isReadableByAvrosOwnSingleObjectDecoder() throws Exception {
    assertThat(SignedEvent.getDecoder().decode(format.encode(TOPIC, event))).isEqualTo(event);
    assertThat(format.decode(TOPIC, SignedEvent.getEncoder().encode(event).array()))
        .isEqualTo(event);
  }

  @Test
  void garbageIsMalformed() {
    assertKind("hello, ledger".getBytes(), SerdeException.Kind.MALFORMED, "marker");
  }

  @Test
  void emptyValueIsMalformed() {
    assertKind(new byte[0], SerdeException.Kind.MALFORMED, "truncated");
  }

  @Test
  void truncatedBodyIsMalformed() {
    byte[] bytes = format.encode(TOPIC, event);
    assertKind(Arrays.copyOf(bytes, bytes.length - 5), SerdeException.Kind.MALFORMED, "");
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] bytes = format.encode(TOPIC, event);
    assertKind(Arrays.copyOf(bytes, bytes.length + 1), SerdeException.Kind.MALFORMED, "trailing");
  }

  @Test
  void unknownFingerprintIsUnsupportedSchema() {
    byte[] bytes = format.encode(TOPIC, event);
    bytes[5] ^= 0x55;
    assertKind(bytes, SerdeException.Kind.UNSUPPORTED_SCHEMA, "fingerprint");
  }

  @Test
  void hugeLengthPrefixIsMalformedWithoutAllocatingIt() {
    byte[] header = Arrays.copyOf(format.encode(TOPIC, event), 10);
    // event_id string with length prefix 2^30 (zigzag varint), then nothing.
    byte[] bytes = Arrays.copyOf(header, 15);
    bytes[10] = (byte) 0x80;
    bytes[11] = (byte) 0x80;
    bytes[12] = (byte) 0x80;
    bytes[13] = (byte) 0x80;
    bytes[14] = (byte) 0x08;
    assertKind(bytes, SerdeException.Kind.MALFORMED, "");
  }

  @Test
  void olderWriterSchemaStaysReadableWhenRegistered() throws Exception {
    // A writer that lacks the optional pop_signature field, resolved by default to null.
    Schema full = SignedEvent.getClassSchema();
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(full.getName()).namespace(full.getNamespace()).fields();
    for (Schema.Field f : full.getFields()) {
      if (!f.name().equals("pop_signature")) {
        fields = fields.name(f.name()).type(f.schema()).noDefault();
      }
    }
    Schema older = fields.endRecord();
    GenericRecord record = new GenericData.Record(older);
    SignedEvent report = SampleEvents.report();
    for (Schema.Field f : older.getFields()) {
      record.put(f.name(), report.get(f.name()));
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xC3, 0x01});
    long fp = org.apache.avro.SchemaNormalization.parsingFingerprint64(older);
    out.write(
        java.nio.ByteBuffer.allocate(8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putLong(fp)
            .array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(older).write(record, encoder);
    encoder.flush();
    byte[] bytes = out.toByteArray();

    assertKind(bytes, SerdeException.Kind.UNSUPPORTED_SCHEMA, "fingerprint");
    assertThat(format.withWriterSchema(older).decode(TOPIC, bytes)).isEqualTo(report);
  }

  private void assertKind(byte[] bytes, SerdeException.Kind kind, String message) {
    assertThatThrownBy(() -> format.decode(TOPIC, bytes))
        .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageContaining(message);
  }
}
