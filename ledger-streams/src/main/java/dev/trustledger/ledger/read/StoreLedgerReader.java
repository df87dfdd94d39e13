package dev.trustledger.ledger.read;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.sequencer.DecisionKeys;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.store.StoreReads;
import dev.trustledger.ledger.store.TreeIndex;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** A {@link LedgerReader} over the ledger's read-only state stores. */
public final class StoreLedgerReader implements LedgerReader {
  /** Hands out a read-only store by name. */
  public interface Stores {
    <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name);

    <K, V> ReadOnlyWindowStore<K, V> window(String name);
  }

  private final Stores stores;
  private final WireFormat<Checkpoint> checkpointFormat;

  public StoreLedgerReader(Stores stores, WireFormat<Checkpoint> checkpointFormat) {
    this.stores = stores;
    this.checkpointFormat = checkpointFormat;
  }

  @Override
  public Optional<LedgerHead> head() {
    ReadOnlyKeyValueStore<String, LedgerHead> head = stores.keyValue(StoreNames.HEAD);
    return Optional.ofNullable(head.get(StoreNames.HEAD_KEY));
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    ReadOnlyKeyValueStore<String, PrincipalState> principals =
        stores.keyValue(StoreNames.PRINCIPALS);
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id, String after, int limit) {
    return StoreReads.children(stores.keyValue(StoreNames.CHILDREN), id, after, limit);
  }

  @Override
  public List<LedgerEntry> entries(String subjectId, long fromSeq, int limit) {
    ReadOnlyKeyValueStore<String, byte[]> entries = stores.keyValue(StoreNames.ENTRIES);
    List<LedgerEntry> out = new ArrayList<>();
    if (limit <= 0 || fromSeq < 0) {
      return out;
    }
    try (KeyValueIterator<String, byte[]> it =
        entries.range(
            StoreNames.entryKey(subjectId, fromSeq),
            StoreNames.entryKey(subjectId, Long.MAX_VALUE))) {
      while (it.hasNext() && out.size() < limit) {
        out.add(decodeEntry(it.next().value));
      }
    }
    return out;
  }

  /** An entry as the entries store keeps it: its Avro binary, which this node wrote itself. */
  private static LedgerEntry decodeEntry(byte[] avro) {
    try {
      return AvroBinary.decode(avro, LedgerEntry.getClassSchema());
    } catch (SerdeException e) {
      throw new IllegalStateException("the entries store holds an entry it cannot read", e);
    }
  }

  @Override
  public List<Decision> decisions(String subjectId, String eventId) {
    ReadOnlyWindowStore<String, Decision> decisions = stores.window(StoreNames.DECISIONS);
    List<Decision> out = new ArrayList<>();
    out.addAll(StoreReads.withPrefix(decisions, DecisionKeys.acceptedPrefix(subjectId, eventId)));
    List<Decision> rejected =
        StoreReads.withPrefix(decisions, DecisionKeys.rejectedPrefix(subjectId, eventId));
    // Several rejections of one event: keep its latest (they come in time order per key).
    java.util.Map<java.nio.ByteBuffer, Decision> latest = new java.util.LinkedHashMap<>();
    rejected.forEach(d -> latest.put(d.getEventHash(), d));
    out.addAll(latest.values());
    return out;
  }

  @Override
  public List<Checkpoint> checkpoints() {
    return checkpointAt(StoreNames.latestCheckpointKey(Sequencer.LEDGER_TREE))
        .map(List::of)
        .orElse(List.of());
  }

  @Override
  public Optional<Checkpoint> checkpoint(long size) {
    return checkpointAt(StoreNames.checkpointKey(Sequencer.LEDGER_TREE, size));
  }

  private Optional<Checkpoint> checkpointAt(String key) {
    ReadOnlyKeyValueStore<String, byte[]> checkpoints = stores.keyValue(StoreNames.CHECKPOINTS);
    byte[] value = checkpoints.get(key);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(checkpointFormat.decode("ledger.checkpoints", value));
    } catch (SerdeException e) {
      // Stored only after its note verified; a checkpoint this node cannot read is not served.
      return Optional.empty();
    }
  }

  @Override
  public LogTree tree() {
    ReadOnlyKeyValueStore<String, byte[]> entries = stores.keyValue(StoreNames.ENTRIES);
    TreeIndex.Reader index = new TreeIndex.Reader(entries);
    return new LogTree() {
      @Override
      public long size() {
        return index.size();
      }

      @Override
      public byte[] node(int level, long i) {
        return index.node(level, i);
      }

      @Override
      public Optional<byte[]> leafData(long ledgerSeq) {
        return index.entriesKey(ledgerSeq).map(entries::get);
      }
    };
  }

  @Override
  public List<PrincipalState> principals(String after, int limit) {
    ReadOnlyKeyValueStore<String, PrincipalState> principals =
        stores.keyValue(StoreNames.PRINCIPALS);
    List<PrincipalState> out = new java.util.ArrayList<>();
    try (var it = after == null ? principals.all() : principals.range(after + "\u0000", null)) {
      while (it.hasNext() && out.size() < limit) {
        out.add(it.next().value);
      }
    }
    return out;
  }

  @Override
  public long principalCount() {
    ReadOnlyKeyValueStore<String, PrincipalState> principals =
        stores.keyValue(StoreNames.PRINCIPALS);
    return principals.approximateNumEntries();
  }
}
