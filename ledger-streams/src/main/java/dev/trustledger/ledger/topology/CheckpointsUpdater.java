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

  /** Key of the store's record of the newest ledger key (its ring index) a checkpoint used. */
  static final String KEY_MARK = "signed-by/";

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

  /**
   * The note's body, when one of the ledger's keys this node holds signed it and that key is not
   * older (in the ring's order, the order of the rotations) than the key of a checkpoint already
   * kept: once the ledger has signed with a new key, its retired keys sign nothing here.
   */
  private CheckpointBody verify(Checkpoint c) throws NoteException {
    NoteException last = null;
    for (int i = 0; i < ledgerKeys.size(); i++) {
      CheckpointBody body;
      try {
        body = new NoteKey(c.getOrigin(), ledgerKeys.get(i)).verify(c.getNote());
      } catch (NoteException e) {
        last = e;
        continue;
      }
      String mark = KEY_MARK + c.getTree();
      byte[] held = store.get(mark);
      int newest = held == null ? 0 : java.nio.ByteBuffer.wrap(held).getInt();
      if (i < newest) {
        throw new NoteException(
            "signed with a key the ledger rotated away from (key "
                + i
                + " of this node's ring; checkpoints are signed with key "
                + newest
                + ")");
      }
      if (i > newest) {
        store.put(mark, java.nio.ByteBuffer.allocate(4).putInt(i).array());
      }
      return body;
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
