package dev.trustledger.ledger.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global signer-key store equal to the compacted keys topic. */
final class KeysUpdater implements Processor<String, byte[], Void, Void> {
  private KeyValueStore<String, byte[]> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(StoreNames.SIGNER_KEYS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    store.put(record.key(), record.value());
  }
}
