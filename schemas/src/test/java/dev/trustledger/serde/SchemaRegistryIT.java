package dev.trustledger.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.testutil.ApicurioRegistry;
import dev.trustledger.testutil.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Confluent wire format against a real Apicurio Registry (Confluent-compatible API). */
class SchemaRegistryIT {
  private static ApicurioRegistry server;
  private static SchemaRegistryClient registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    server = ApicurioRegistry.start();
    registry = new SchemaRegistryClient(server.ccompatUrl());
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void signedEventRoundTripsThroughTheRegistry() throws SerdeException {
    ConfluentFormat<SignedEvent> format =
        ConfluentFormat.of(SignedEvent.getClassSchema(), registry, true);
    SignedEvent event = SampleEvents.agentRegistration();
    byte[] bytes = format.encode("ledger.events", event);

    int id = registry.lookup("ledger.events-value", SignedEvent.getClassSchema());
    assertThat(bytes[0]).isZero();
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);

    SchemaRegistryClient fresh = new SchemaRegistryClient(server.ccompatUrl());
    assertThat(
            ConfluentFormat.of(SignedEvent.getClassSchema(), fresh, false)
                .decode("ledger.events", bytes))
        .isEqualTo(event);
  }

  @Test
  void registeringTheSameSchemaAgainGivesTheSameId() {
    SchemaRegistryClient a = new SchemaRegistryClient(server.ccompatUrl());
    SchemaRegistryClient b = new SchemaRegistryClient(server.ccompatUrl());
    assertThat(a.register("same-value", SignedEvent.getClassSchema()))
        .isEqualTo(b.register("same-value", SignedEvent.getClassSchema()));
  }

  @Test
  void newOptionalFieldStaysReadableByTheOldReader() throws Exception {
    String subject = ConfluentFormat.subject("ledger.checkpoints");
    registry.setCompatibility(subject, "BACKWARD");
    Schema v1 = Checkpoint.getClassSchema();
    registry.register(subject, v1);
    Schema v2 = withOptionalField(v1, "witness");
    int v2Id = registry.register(subject, v2);

    GenericRecord written = new GenericData.Record(v2);
    written.put("origin", "ledger.example");
    written.put("tree", 0);
    written.put("size", 12L);
    written.put("root_hash", ByteBuffer.wrap(new byte[32]));
    written.put("created_at", 1_767_225_600_000L);
    written.put("note", "note text");
    written.put("witness", "a witness cosignature");
    byte[] bytes = confluentBytes(v2Id, v2, written);

    Checkpoint read =
        ConfluentFormat.<Checkpoint>of(v1, new SchemaRegistryClient(server.ccompatUrl()), false)
            .decode("ledger.checkpoints", bytes);
    assertThat(read.getOrigin()).isEqualTo("ledger.example");
    assertThat(read.getSize()).isEqualTo(12L);
    assertThat(read.getNote()).isEqualTo("note text");
  }

  @Test
  void incompatibleChangeIsRefusedByTheRegistry() {
    String subject = "incompatible-value";
    registry.setCompatibility(subject, "BACKWARD");
    Schema v1 = Checkpoint.getClassSchema();
    registry.register(subject, v1);
    Schema required =
        SchemaBuilder.record(v1.getName())
            .namespace(v1.getNamespace())
            .fields()
            .requiredString("origin")
            .requiredString("mandatory_new_field")
            .endRecord();
    assertThatThrownBy(() -> registry.register(subject, required))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("409");
  }

  @Test
  void unknownSchemaIdIsUnsupportedSchema() {
    byte[] bytes = ByteBuffer.allocate(8).put((byte) 0).putInt(987_654).array();
    assertThatThrownBy(() -> eventFormat().decode("ledger.events", bytes))
        .isInstanceOfSatisfying(
            SerdeException.class,
            e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNSUPPORTED_SCHEMA))
        .hasMessageContaining("987654");
  }

  @Test
  void wrongMagicByteIsMalformed() {
    byte[] bytes = eventFormat().encode("ledger.events", SampleEvents.report());
    bytes[0] = 1;
    assertMalformed(bytes, "magic");
  }

  @Test
  void truncatedRecordIsMalformed() {
    byte[] bytes = eventFormat().encode("ledger.events", SampleEvents.report());
    assertMalformed(Arrays.copyOf(bytes, bytes.length - 3), "");
    assertMalformed(Arrays.copyOf(bytes, 3), "truncated");
  }

  @Test
  void unreachableRegistryIsAClearInfrastructureError() throws Exception {
    SchemaRegistryClient nowhere =
        new SchemaRegistryClient("http://127.0.0.1:1/apis/ccompat/v7", Duration.ofSeconds(2));
    assertThatThrownBy(() -> nowhere.schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(-1))
        .hasMessageContaining("unreachable");
  }

  private static ConfluentFormat<SignedEvent> eventFormat() {
    return ConfluentFormat.of(SignedEvent.getClassSchema(), registry, true);
  }

  private static void assertMalformed(byte[] bytes, String message) {
    assertThatThrownBy(() -> eventFormat().decode("ledger.events", bytes))
        .isInstanceOfSatisfying(
            SerdeException.class,
            e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.MALFORMED))
        .hasMessageContaining(message);
  }

  private static Schema withOptionalField(Schema base, String name) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(base.getName()).namespace(base.getNamespace()).fields();
    for (Schema.Field f : base.getFields()) {
      fields = fields.name(f.name()).type(f.schema()).noDefault();
    }
    return fields.name(name).type().optional().stringType().endRecord();
  }

  private static byte[] confluentBytes(int id, Schema schema, GenericRecord record)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
