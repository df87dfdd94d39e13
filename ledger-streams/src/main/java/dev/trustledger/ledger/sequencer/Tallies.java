package dev.trustledger.ledger.sequencer;

import dev.trustledger.ledger.avro.Tally;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The tallies an agent's record keeps (docs/spec.md section 8.1), bounded so the record stays
 * small: after each change, entries that decayed below {@link #FORGOTTEN} are dropped, and of the
 * rest at most {@link #MAX} are kept, the largest at the time of the change (ties: the smaller id).
 * The result is in id order. Deterministic, so the ledger and its auditors keep the same.
 */
final class Tallies {
  /** Most tallies of one kind an agent's record keeps. */
  static final int MAX = 64;

  /** A tally whose decayed value is below this is forgotten. */
  static final double FORGOTTEN = 0.001;

  private Tallies() {}

  /** The tally of {@code id} in {@code tallies}, or null. */
  static dev.trustledger.trust.Tally find(List<Tally> tallies, String id) {
    for (Tally t : tallies) {
      if (t.getId().equals(id)) {
        return new dev.trustledger.trust.Tally(t.getId(), t.getValue(), t.getTime());
      }
    }
    return null;
  }

  /** {@code tallies} with {@code changed} in place of its id's entry, pruned at {@code now}. */
  static List<Tally> put(
      List<Tally> tallies, dev.trustledger.trust.Tally changed, long now, long halfLifeMs) {
    List<dev.trustledger.trust.Tally> all = new ArrayList<>();
    for (Tally t : tallies) {
      if (!t.getId().equals(changed.id())) {
        all.add(new dev.trustledger.trust.Tally(t.getId(), t.getValue(), t.getTime()));
      }
    }
    all.add(changed);
    all.removeIf(t -> t.at(now, halfLifeMs) < FORGOTTEN);
    if (all.size() > MAX) {
      all.sort(
          Comparator.comparingDouble((dev.trustledger.trust.Tally t) -> -t.at(now, halfLifeMs))
              .thenComparing(dev.trustledger.trust.Tally::id));
      all = new ArrayList<>(all.subList(0, MAX));
    }
    all.sort(Comparator.comparing(dev.trustledger.trust.Tally::id));
    List<Tally> out = new ArrayList<>(all.size());
    for (dev.trustledger.trust.Tally t : all) {
      out.add(Tally.newBuilder().setId(t.id()).setValue(t.value()).setTime(t.time()).build());
    }
    return out;
  }
}
