package dev.trustledger.ledger.topology;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.store.TreeIndex;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes {@code ledger.entries} on every node: by chain position, for {@code GET
 * /v1/agents/{id}/entries}, and as leaves of the ledger's Merkle tree ({@link TreeIndex}), for
 * tiles and proofs. Global stores: the topic itself is their changelog (Kafka Streams replays it
 * through this processor on restore), so no entry is written to Kafka twice.
 */
final class EntriesIndexer implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(EntriesIndexer.class);
  private final WireFormat<LedgerEntry> format;
  private final LedgerMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;
  private TreeIndex.Writer tree;

  EntriesIndexer(WireFormat<LedgerEntry> format, LedgerMetrics metrics) {
    this.format = format;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(StoreNames.ENTRIES);
    tree = new TreeIndex.Writer(store);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    LedgerEntry entry;
    try {
      entry = format.decode("ledger.entries", record.value());
    } catch (SerdeException e) {
      LOG.warn("an entry at {} does not decode and is not indexed: {}", where(), e.getMessage());
      return;
    }
    String key = StoreNames.entryKey(entry.getSubjectId(), entry.getSeq());
    byte[] data = EntryHash.leafData(entry);
    byte[] leaf = MerkleHash.leaf(data);
    if (!tree.add(entry.getLedgerSeq(), leaf, key)) {
      metrics.conflictingEntry();
      LOG.error(
          "the entry at {} claims ledger_seq {}, which another entry holds: it is not indexed"
              + " (a forged or damaged ledger.entries)",
          where(),
          entry.getLedgerSeq());
      return;
    }
    store.put(key, data);
  }

  private Object where() {
    return context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset());
  }
}
