package dev.trustledger.ledger.topology;

import dev.trustledger.avro.KeyRecord;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.store.SignerKeyValues;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import dev.trustledger.topic.KeyRecords;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global signer-key store equal to what the ledger published on {@code ledger.keys}: a
 * record counts only when the ledger's key signed it, its record key is its principal id, that id
 * derives from the key it names, and it is not older than the record in force for the principal (a
 * replay). Anything else is refused, logged and counted.
 */
final class KeysUpdater implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(KeysUpdater.class);
  private final WireFormat<KeyRecord> format;
  private final Ed25519PublicKey ledgerKey;
  private final LedgerMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;

  KeysUpdater(WireFormat<KeyRecord> format, Ed25519PublicKey ledgerKey, LedgerMetrics metrics) {
    this.format = format;
    this.ledgerKey = ledgerKey;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(StoreNames.SIGNER_KEYS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Optional<String> problem;
    KeyRecord key = null;
    try {
      key = record.value() == null ? null : format.decode("ledger.keys", record.value());
      problem =
          key == null
              ? Optional.of("no value")
              : !key.getPrincipalId().equals(record.key())
                  ? Optional.of("its record key is not " + key.getPrincipalId())
                  : KeyRecords.problem(key, ledgerKey);
    } catch (SerdeException e) {
      problem = Optional.of("it does not decode: " + e.getMessage());
    }
    if (problem.isEmpty()) {
      long inForce = SignerKeyValues.ledgerSeq(store.get(key.getPrincipalId()));
      if (key.getLedgerSeq() < inForce) {
        problem =
            Optional.of(
                "it is older (ledger_seq "
                    + key.getLedgerSeq()
                    + ") than the record in force (ledger_seq "
                    + inForce
                    + ")");
      }
    }
    if (problem.isPresent()) {
      metrics.refusedKeyRecord();
      LOG.warn(
          "refused a key record for '{}' at {}: {}",
          record.key(),
          context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()),
          problem.get());
      return;
    }
    store.put(
        key.getPrincipalId(),
        SignerKeyValues.of(key.getLedgerSeq(), Buffers.toArray(key.getPublicKey())));
  }
}
