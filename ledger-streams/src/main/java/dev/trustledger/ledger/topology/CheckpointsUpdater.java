package dev.trustledger.ledger.topology;

import dev.trustledger.ledger.store.StoreNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the latest checkpoint of every partition (keyed by partition, as on the topic). */
final class CheckpointsUpdater implements Processor<String, byte[], Void, Void> {
  private KeyValueStore<String, byte[]> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(StoreNames.CHECKPOINTS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() != null && record.value() != null) {
      store.put(record.key(), record.value());
    }
  }
}
