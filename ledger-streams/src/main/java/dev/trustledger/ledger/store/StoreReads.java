package dev.trustledger.ledger.store;

import dev.trustledger.ledger.avro.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Queries over the ledger's stores that the sequencer and the read side both make. */
public final class StoreReads {
  private StoreReads() {}

  /**
   * Up to {@code limit} children of {@code parentId} in id order, after {@code after} (null: from
   * the first).
   */
  public static List<String> children(
      ReadOnlyKeyValueStore<String, String> children, String parentId, String after, int limit) {
    List<String> out = new ArrayList<>();
    String from =
        after == null
            ? StoreNames.childrenFrom(parentId)
            : StoreNames.childKey(parentId, after) + "\u0000";
    try (KeyValueIterator<String, String> it =
        children.range(from, StoreNames.childrenTo(parentId))) {
      while (it.hasNext() && out.size() < limit) {
        out.add(it.next().value);
      }
    }
    return out;
  }

  /** The latest decision kept under {@code key} at a ledger time in [from, to]. */
  public static Optional<Decision> latest(
      ReadOnlyWindowStore<String, Decision> decisions, String key, long from, long to) {
    if (from > to) {
      return Optional.empty();
    }
    Decision latest = null;
    try (WindowStoreIterator<Decision> it =
        decisions.fetch(key, Instant.ofEpochMilli(Math.max(0, from)), Instant.ofEpochMilli(to))) {
      while (it.hasNext()) {
        latest = it.next().value;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** Every decision kept under a key starting with {@code prefix}, in key then time order. */
  public static List<Decision> withPrefix(
      ReadOnlyWindowStore<String, Decision> decisions, String prefix) {
    List<Decision> out = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, Decision> it =
        decisions.fetch(
            prefix, prefix + "\uffff", Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, Decision> kv = it.next();
        if (kv.key.key().startsWith(prefix)) {
          out.add(kv.value);
        }
      }
    }
    return out;
  }
}
