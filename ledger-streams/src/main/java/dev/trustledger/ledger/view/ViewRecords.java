package dev.trustledger.ledger.view;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.View;
import dev.trustledger.ledger.sequencer.StateChanges;
import dev.trustledger.ledger.store.AuthenticatedSerde;
import dev.trustledger.ledger.store.InternalSerdes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;

/** The records of {@code ledger.views}: what a step publishes, and their serde. */
public final class ViewRecords {
  /** Key of the head's view (no principal id starts with '~'). */
  public static final String HEAD_KEY = "~head";

  private ViewRecords() {}

  /**
   * Views are written only by the ledger's own nodes: each carries the MAC of the sequencer topic's
   * serde, and a view whose MAC does not verify reads as null.
   */
  public static Serde<View> serde(Ed25519PrivateKey ledgerKey) {
    return AuthenticatedSerde.of(InternalSerdes.<View>of(View.getClassSchema()), ledgerKey);
  }

  /**
   * The views of a step that wrote entries: one per principal it changed, in id order, or the
   * head's when it changed no principal (the genesis, parameters, ledger and admin keys); the last
   * is marked complete. None when the step wrote no entry.
   */
  public static List<KeyValue<String, View>> of(StateChanges changes, boolean wroteEntries) {
    LedgerHead head = changes.head();
    if (!wroteEntries || head == null) {
      return List.of();
    }
    long seq = head.getNextLedgerSeq() - 1;
    List<KeyValue<String, View>> out = new ArrayList<>();
    if (changes.principals().isEmpty()) {
      out.add(KeyValue.pair(HEAD_KEY, new View(seq, true, null, head)));
      return out;
    }
    Map<String, PrincipalState> sorted = new TreeMap<>(changes.principals());
    int i = 0;
    for (Map.Entry<String, PrincipalState> e : sorted.entrySet()) {
      boolean last = ++i == sorted.size();
      out.add(KeyValue.pair(e.getKey(), new View(seq, last, e.getValue(), null)));
    }
    return out;
  }
}
