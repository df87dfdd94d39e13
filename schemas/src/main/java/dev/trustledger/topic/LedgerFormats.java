package dev.trustledger.topic;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.KeyRecord;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.serde.ConfluentFormat;
import dev.trustledger.serde.SchemaRegistryClient;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.serde.WireFormat;

/**
 * The wire formats of the ledger's public topics: all single-object encoding, or all the Confluent
 * format with one registry.
 */
public record LedgerFormats(
    WireFormat<SignedEvent> events,
    WireFormat<LedgerEntry> entries,
    WireFormat<Rejection> rejections,
    WireFormat<Checkpoint> checkpoints,
    WireFormat<KeyRecord> keys) {

  /** Avro single-object encoding, no registry: the embedded default. */
  public static LedgerFormats singleObject() {
    return new LedgerFormats(
        SingleObjectFormat.of(SignedEvent.getClassSchema()),
        SingleObjectFormat.of(LedgerEntry.getClassSchema()),
        SingleObjectFormat.of(Rejection.getClassSchema()),
        SingleObjectFormat.of(Checkpoint.getClassSchema()),
        SingleObjectFormat.of(KeyRecord.getClassSchema()));
  }

  /** The Confluent wire format; the ledger registers its output schemas. */
  public static LedgerFormats registry(SchemaRegistryClient registry) {
    return new LedgerFormats(
        ConfluentFormat.of(SignedEvent.getClassSchema(), registry, true),
        ConfluentFormat.of(LedgerEntry.getClassSchema(), registry, true),
        ConfluentFormat.of(Rejection.getClassSchema(), registry, true),
        ConfluentFormat.of(Checkpoint.getClassSchema(), registry, true),
        ConfluentFormat.of(KeyRecord.getClassSchema(), registry, true));
  }

  /** Registry formats when {@code registryUrl} is set, otherwise single-object. */
  public static LedgerFormats of(String registryUrl) {
    return registryUrl == null || registryUrl.isBlank()
        ? singleObject()
        : registry(new SchemaRegistryClient(registryUrl));
  }
}
