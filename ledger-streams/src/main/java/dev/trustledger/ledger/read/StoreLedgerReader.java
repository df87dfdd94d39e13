package dev.trustledger.ledger.read;

import dev.trustledger.avro.ChainHead;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.EventOutcome;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.TrustState;
import dev.trustledger.ledger.directory.StoreDirectory;
import dev.trustledger.ledger.topology.StoreNames;
import dev.trustledger.trust.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
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

  public StoreLedgerReader(Stores stores) {
    this.stores = stores;
  }

  private StoreDirectory directory() {
    return new StoreDirectory(
        stores.keyValue(StoreNames.PRINCIPALS),
        stores.keyValue(StoreNames.CHILDREN),
        stores.keyValue(StoreNames.TRUST),
        stores.window(StoreNames.OUTCOMES),
        stores.window(StoreNames.INTERACTIONS));
  }

  @Override
  public Optional<Principal> principal(String id) {
    ReadOnlyKeyValueStore<String, Principal> principals = stores.keyValue(StoreNames.PRINCIPALS);
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id, String after, int limit) {
    ReadOnlyKeyValueStore<String, String> children = stores.keyValue(StoreNames.CHILDREN);
    List<String> out = new ArrayList<>();
    String from =
        after == null ? StoreNames.childrenFrom(id) : StoreNames.childKey(id, after) + "\u0000";
    try (KeyValueIterator<String, String> it = children.range(from, StoreNames.childrenTo(id))) {
      while (it.hasNext() && out.size() < limit) {
        out.add(it.next().value);
      }
    }
    return out;
  }

  @Override
  public Optional<Evidence> evidence(String agentId) {
    ReadOnlyKeyValueStore<String, TrustState> trust = stores.keyValue(StoreNames.TRUST);
    return Optional.ofNullable(trust.get(agentId))
        .map(dev.trustledger.ledger.rules.LedgerRules::fromAvro);
  }

  @Override
  public Optional<ChainHead> head(String subjectId) {
    ReadOnlyKeyValueStore<String, ChainHead> heads = stores.keyValue(StoreNames.CHAIN_HEADS);
    return Optional.ofNullable(heads.get(subjectId));
  }

  @Override
  public List<LedgerEntry> entries(String subjectId, long fromSeq, int limit) {
    ReadOnlyKeyValueStore<String, LedgerEntry> entries = stores.keyValue(StoreNames.ENTRIES);
    List<LedgerEntry> out = new ArrayList<>();
    if (limit <= 0 || fromSeq < 0) {
      return out;
    }
    try (KeyValueIterator<String, LedgerEntry> it =
        entries.range(
            StoreNames.entryKey(subjectId, fromSeq),
            StoreNames.entryKey(subjectId, Long.MAX_VALUE))) {
      while (it.hasNext() && out.size() < limit) {
        KeyValue<String, LedgerEntry> next = it.next();
        out.add(next.value);
      }
    }
    return out;
  }

  @Override
  public Optional<EventOutcome> outcome(String subjectId, String eventId) {
    return directory().outcome(subjectId, eventId);
  }

  @Override
  public List<Checkpoint> checkpoints() {
    ReadOnlyKeyValueStore<Integer, Checkpoint> checkpoints =
        stores.keyValue(StoreNames.CHECKPOINTS);
    List<Checkpoint> out = new ArrayList<>();
    try (KeyValueIterator<Integer, Checkpoint> it = checkpoints.all()) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  @Override
  public long principalCount() {
    ReadOnlyKeyValueStore<String, Principal> principals = stores.keyValue(StoreNames.PRINCIPALS);
    return principals.approximateNumEntries();
  }
}
