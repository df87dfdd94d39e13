package dev.trustledger.ledger.sequencer;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The ledger's state in memory, for the auditor's replay and for tests. It keeps every decision
 * (nothing expires), which answers the same as the node's window stores within the dedupe window.
 */
public final class MemoryLedgerState implements LedgerState {
  private final Map<String, PrincipalState> principals = new HashMap<>();
  private final Map<String, TreeSet<String>> children = new HashMap<>();

  /** Decisions by key: one (the usual case) or, in time order, several. */
  private final Map<String, Object> decisions = new HashMap<>();

  private LedgerHead head;

  @Override
  public Optional<LedgerHead> head() {
    return Optional.ofNullable(head);
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id) {
    TreeSet<String> c = children.get(id);
    return c == null ? List.of() : List.copyOf(c);
  }

  @Override
  public Optional<Decision> accepted(
      String subjectId, String eventId, String signerId, long from, long to) {
    return latest(DecisionKeys.accepted(subjectId, eventId, signerId), from, to);
  }

  @Override
  public Optional<Decision> interaction(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    return latest(DecisionKeys.interaction(reporterId, subjectId, interactionId), from, to);
  }

  /** The latest decision kept under {@code key} at a time in [from, to]. */
  public Optional<Decision> latest(String key, long from, long to) {
    Object kept = decisions.get(key);
    if (kept == null || from > to) {
      return Optional.empty();
    }
    if (kept instanceof StateChanges.Remembered one) {
      return one.time() >= from && one.time() <= to
          ? Optional.of(one.decision())
          : Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<StateChanges.Remembered> several = (List<StateChanges.Remembered>) kept;
    for (int i = several.size() - 1; i >= 0; i--) {
      StateChanges.Remembered r = several.get(i);
      if (r.time() >= from && r.time() <= to) {
        return Optional.of(r.decision());
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private void remember(StateChanges.Remembered r) {
    Object kept = decisions.get(r.key());
    if (kept == null) {
      decisions.put(r.key(), r);
      return;
    }
    List<StateChanges.Remembered> several;
    if (kept instanceof StateChanges.Remembered one) {
      several = new ArrayList<>();
      several.add(one);
      decisions.put(r.key(), several);
    } else {
      several = (List<StateChanges.Remembered>) kept;
    }
    // Keep time order; a decision at a time already kept replaces it, as in a window store.
    int i = several.size();
    while (i > 0 && several.get(i - 1).time() > r.time()) {
      i--;
    }
    if (i > 0 && several.get(i - 1).time() == r.time()) {
      several.set(i - 1, r);
    } else {
      several.add(i, r);
    }
  }

  /** Applies one step's changes. */
  public void apply(StateChanges changes) {
    if (changes.head() != null) {
      head = changes.head();
    }
    principals.putAll(changes.principals());
    for (StateChanges.Link l : changes.links()) {
      children.computeIfAbsent(l.parent(), k -> new TreeSet<>()).add(l.child());
    }
    changes.decisions().forEach(this::remember);
  }

  /**
   * Moves the next {@code ledger_seq} and a chain's head to where a log under audit has them, so
   * that one wrong entry is reported once rather than in every entry after it.
   *
   * @param subjectId the chain's subject (a principal, or the ledger itself)
   * @param nextLedgerSeq the next entry's ledger_seq
   * @param seq seq of the chain's latest entry (-1: none)
   * @param entryHash entry_hash of the chain's latest entry
   */
  public void align(String subjectId, long nextLedgerSeq, long seq, ByteBuffer entryHash) {
    if (head == null) {
      return;
    }
    LedgerHead.Builder h = LedgerHead.newBuilder(head).setNextLedgerSeq(nextLedgerSeq);
    if (subjectId.equals(Sequencer.ledgerId(head))) {
      h.setChainSeq(seq).setChainHead(entryHash);
    } else {
      PrincipalState p = principals.get(subjectId);
      if (p != null) {
        principals.put(
            subjectId,
            PrincipalState.newBuilder(p)
                .setChainSeq(seq)
                .setChainHead(entryHash)
                .setChainLedgerSeq(nextLedgerSeq - 1)
                .build());
      }
    }
    head = h.build();
  }

  /**
   * Forgets decisions made before {@code time}: once the ledger's time has passed them by more than
   * its dedupe window, no decision reads them any more.
   */
  @SuppressWarnings("unchecked")
  public void forgetBefore(long time) {
    decisions
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue() instanceof StateChanges.Remembered one) {
                return one.time() < time;
              }
              List<StateChanges.Remembered> several = (List<StateChanges.Remembered>) e.getValue();
              several.removeIf(r -> r.time() < time);
              return several.isEmpty();
            });
  }

  private static final int FORMAT = 1;

  /** Writes the whole state (a monitor's saved replay), to read back with {@link #readFrom}. */
  @SuppressWarnings("unchecked")
  public void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
    out.writeInt(FORMAT);
    out.writeBoolean(head != null);
    if (head != null) {
      bytes(out, dev.trustledger.serde.AvroBinary.encode(head));
    }
    out.writeInt(principals.size());
    for (PrincipalState p : principals.values()) {
      bytes(out, dev.trustledger.serde.AvroBinary.encode(p));
    }
    int links = children.values().stream().mapToInt(TreeSet::size).sum();
    out.writeInt(links);
    for (Map.Entry<String, TreeSet<String>> e : children.entrySet()) {
      for (String child : e.getValue()) {
        out.writeUTF(e.getKey());
        out.writeUTF(child);
      }
    }
    out.writeInt(decisions.size());
    for (Map.Entry<String, Object> e : decisions.entrySet()) {
      List<StateChanges.Remembered> all =
          e.getValue() instanceof StateChanges.Remembered one
              ? List.of(one)
              : (List<StateChanges.Remembered>) e.getValue();
      out.writeUTF(e.getKey());
      out.writeInt(all.size());
      for (StateChanges.Remembered r : all) {
        out.writeLong(r.time());
        bytes(out, dev.trustledger.serde.AvroBinary.encode(r.decision()));
      }
    }
  }

  /**
   * Reads a state {@link #writeTo} wrote.
   *
   * @throws java.io.IOException when the bytes are not such a state
   */
  public static MemoryLedgerState readFrom(java.io.DataInputStream in) throws java.io.IOException {
    if (in.readInt() != FORMAT) {
      throw new java.io.IOException("not a saved ledger state of this version");
    }
    MemoryLedgerState s = new MemoryLedgerState();
    try {
      if (in.readBoolean()) {
        s.head = dev.trustledger.serde.AvroBinary.decode(bytes(in), LedgerHead.getClassSchema());
      }
      for (int n = in.readInt(); n > 0; n--) {
        PrincipalState p =
            dev.trustledger.serde.AvroBinary.decode(bytes(in), PrincipalState.getClassSchema());
        s.principals.put(p.getId(), p);
      }
      for (int n = in.readInt(); n > 0; n--) {
        String parent = in.readUTF();
        s.children.computeIfAbsent(parent, k -> new TreeSet<>()).add(in.readUTF());
      }
      for (int n = in.readInt(); n > 0; n--) {
        String key = in.readUTF();
        for (int k = in.readInt(); k > 0; k--) {
          long time = in.readLong();
          Decision d =
              dev.trustledger.serde.AvroBinary.decode(bytes(in), Decision.getClassSchema());
          s.remember(new StateChanges.Remembered(key, time, d));
        }
      }
    } catch (dev.trustledger.serde.SerdeException e) {
      throw new java.io.IOException("the saved ledger state is damaged: " + e.getMessage(), e);
    }
    return s;
  }

  private static void bytes(java.io.DataOutputStream out, byte[] b) throws java.io.IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(java.io.DataInputStream in) throws java.io.IOException {
    int n = in.readInt();
    if (n < 0 || n > 16 * 1024 * 1024) {
      throw new java.io.IOException("the saved ledger state is damaged");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /** Every principal, by id. */
  public Map<String, PrincipalState> principals() {
    return Map.copyOf(principals);
  }
}
