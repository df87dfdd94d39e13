package dev.trustledger.topic;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.KeyRecord;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.serde.ConfluentFormat;
import dev.trustledger.serde.RegistryOrSingleObject;
import dev.trustledger.serde.SchemaRegistryClient;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.serde.WireFormat;

/**
 * The wire formats of the ledger's public topics: all single-object encoding, or the Confluent
 * format with one registry (which reads single-object records too).
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

  /**
   * The Confluent wire format; the ledger registers its output schemas. Records in single-object
   * encoding on the same topics are read too (see {@link RegistryOrSingleObject}).
   */
  public static LedgerFormats registry(SchemaRegistryClient registry) {
    LedgerFormats single = singleObject();
    return new LedgerFormats(
        new RegistryOrSingleObject<>(
            ConfluentFormat.of(SignedEvent.getClassSchema(), registry, true), single.events()),
        new RegistryOrSingleObject<>(
            ConfluentFormat.of(LedgerEntry.getClassSchema(), registry, true), single.entries()),
        new RegistryOrSingleObject<>(
            ConfluentFormat.of(Rejection.getClassSchema(), registry, true), single.rejections()),
        new RegistryOrSingleObject<>(
            ConfluentFormat.of(Checkpoint.getClassSchema(), registry, true), single.checkpoints()),
        new RegistryOrSingleObject<>(
            ConfluentFormat.of(KeyRecord.getClassSchema(), registry, true), single.keys()));
  }

  /** Registry formats when {@code registryUrl} is set, otherwise single-object. */
  public static LedgerFormats of(String registryUrl) {
    return registryUrl == null || registryUrl.isBlank()
        ? singleObject()
        : registry(new SchemaRegistryClient(registryUrl));
  }
}
