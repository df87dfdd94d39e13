package dev.trustledger.ledger.topology;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes {@code ledger.entries} by chain position on every node, for {@code GET
 * /v1/agents/{id}/entries}. A global store: the topic itself is its changelog (Kafka Streams
 * replays it through this processor on restore), so no entry is written to Kafka twice.
 */
final class EntriesIndexer implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(EntriesIndexer.class);
  private final WireFormat<LedgerEntry> format;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, LedgerEntry> store;

  EntriesIndexer(WireFormat<LedgerEntry> format) {
    this.format = format;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(StoreNames.ENTRIES);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      LedgerEntry entry = format.decode("ledger.entries", record.value());
      store.put(StoreNames.entryKey(entry.getSubjectId(), entry.getSeq()), entry);
    } catch (SerdeException e) {
      LOG.warn(
          "an entry at {} does not decode and is not indexed: {}",
          context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()),
          e.getMessage());
    }
  }
}
