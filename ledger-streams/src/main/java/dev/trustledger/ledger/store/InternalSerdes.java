package dev.trustledger.ledger.store;

import dev.trustledger.serde.KafkaSerdes;
import dev.trustledger.serde.SingleObjectFormat;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Serdes of state stores and internal topics: Avro single-object encoding, never a registry. */
public final class InternalSerdes {
  private InternalSerdes() {}

  public static <T extends SpecificRecord> Serde<T> of(Schema schema) {
    return KafkaSerdes.of(SingleObjectFormat.<T>of(schema));
  }
}
