package dev.trustledger.ledger.topology;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every checkpoint of {@code ledger.checkpoints} whose note one of the ledger's keys this
 * node holds signed (its genesis key, or a key it rotates to), by tree and size, and the latest of
 * each tree. A record whose note does not verify, or whose fields are not its note's, is refused
 * and counted: the topic is not trusted for being the ledger's.
 */
final class CheckpointsUpdater implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointsUpdater.class);
  private final WireFormat<Checkpoint> format;
  private final List<Ed25519PublicKey> ledgerKeys;
  private final LedgerMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;

  CheckpointsUpdater(
      WireFormat<Checkpoint> format, List<Ed25519PublicKey> ledgerKeys, LedgerMetrics metrics) {
    this.format = format;
    this.ledgerKeys = List.copyOf(ledgerKeys);
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(StoreNames.CHECKPOINTS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    Checkpoint c;
    try {
      c = format.decode("ledger.checkpoints", record.value());
      CheckpointBody body = verify(c);
      if (!body.origin().equals(c.getOrigin())
          || body.size() != c.getSize()
          || !Arrays.equals(body.rootHash(), Buffers.toArray(c.getRootHash()))) {
        throw new NoteException("the record's fields are not its note's");
      }
    } catch (SerdeException | NoteException | IllegalArgumentException e) {
      metrics.refusedCheckpoint();
      LOG.error(
          "refused a record of ledger.checkpoints at {}: {}",
          context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()),
          e.getMessage());
      return;
    }
    store.put(StoreNames.checkpointKey(c.getTree(), c.getSize()), record.value());
    byte[] latest = store.get(StoreNames.latestCheckpointKey(c.getTree()));
    if (latest == null || sizeOf(latest) <= c.getSize()) {
      store.put(StoreNames.latestCheckpointKey(c.getTree()), record.value());
    }
  }

  private CheckpointBody verify(Checkpoint c) throws NoteException {
    NoteException last = null;
    for (Ed25519PublicKey key : ledgerKeys) {
      try {
        return new NoteKey(c.getOrigin(), key).verify(c.getNote());
      } catch (NoteException e) {
        last = e;
      }
    }
    throw last;
  }

  private long sizeOf(byte[] value) {
    try {
      return format.decode("ledger.checkpoints", value).getSize();
    } catch (SerdeException e) {
      return -1;
    }
  }
}
