package dev.trustledger.ledger.view;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.View;
import dev.trustledger.ledger.lineage.Lineage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A node's copy of the ledger's directory, built from {@code ledger.views} in offset order: every
 * principal's state, the ledger's head, who is registered under whom, and the {@code ledger_seq} it
 * reflects. One thread applies views; any number read. Each applied view yields the changes it
 * makes (its own and those it makes to the effective status or capabilities of agents below it),
 * which subscribers receive in order; a subscriber can start after any offset.
 */
public final class ReadModel {

  /** What a change is about. */
  public enum Kind {
    /** Registered, or its (effective) status changed. */
    STATUS,
    /** Its trust evidence changed. */
    TRUST,
    /** Another field changed: key, capabilities (effective or own), expiry, name. */
    PRINCIPAL,
    /** The ledger's head: its parameters or keys. */
    LEDGER
  }

  /**
   * One change.
   *
   * @param offset offset of the view in {@code ledger.views} that made it
   * @param index its place among the changes that view made, from 0
   * @param ledgerSeq ledger_seq of that view (-1 when unknown)
   * @param id the principal it is about (the ledger's id for {@link Kind#LEDGER})
   * @param kinds what changed
   * @param state the principal after the change (null for {@link Kind#LEDGER})
   * @param status its effective status after the change
   * @param capabilities its effective capabilities after the change
   * @param head the head after the change ({@link Kind#LEDGER} only)
   */
  public record Change(
      long offset,
      int index,
      long ledgerSeq,
      String id,
      Set<Kind> kinds,
      PrincipalState state,
      Lineage.Effective status,
      List<String> capabilities,
      LedgerHead head) {

    /** True when it comes after the position {@code (offset, index)}. */
    public boolean after(long offset, int index) {
      return this.offset > offset || this.offset == offset && this.index > index;
    }
  }

  /** A subscription: the changes before it started that the subscriber asked for, then live. */
  public interface Subscription extends AutoCloseable {
    List<Change> backlog();

    @Override
    void close();
  }

  private final ConcurrentSkipListMap<String, PrincipalState> principals =
      new ConcurrentSkipListMap<>();
  private final Map<String, ConcurrentSkipListSet<String>> children = new ConcurrentHashMap<>();
  private final AtomicLong count = new AtomicLong();

  /** Written by the applying thread only. */
  private final Map<String, Derived> derived = new HashMap<>();

  /** Each principal's latest change: where a subscriber from further back resumes it. */
  private final Map<String, Latest> latest = new HashMap<>();

  private final ArrayDeque<Change> recent = new ArrayDeque<>();
  private final int recentCapacity;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final Object seqMonitor = new Object();

  private long recentFrom;
  private long headChangedAt = -1;
  private volatile LedgerHead head;
  private volatile HeadAt patchedHead;
  private volatile long seq = -1;
  private volatile long offset = -1;

  private record Derived(Lineage.Effective status, List<String> capabilities) {}

  private record Latest(long offset, long ledgerSeq) {}

  private record HeadAt(long seq, LedgerHead source, LedgerHead head) {}

  /**
   * @param recentCapacity changes kept for subscribers that resume: one resuming from further back
   *     gets each principal's latest change instead (as the compacted topic would give it)
   */
  public ReadModel(int recentCapacity) {
    this.recentCapacity = recentCapacity;
  }

  /** Applies the view at {@code offset} of {@code ledger.views}, in offset order. */
  public synchronized List<Change> apply(long offset, View view) {
    List<Change> changes = new ArrayList<>();
    long viewSeq = view.getLedgerSeq();
    if (view.getHead() != null) {
      head = view.getHead();
      headChangedAt = offset;
      changes.add(
          new Change(
              offset,
              0,
              viewSeq,
              ledgerId(view.getHead()),
              EnumSet.of(Kind.LEDGER),
              null,
              null,
              List.of(),
              view.getHead()));
    }
    PrincipalState p = view.getPrincipal();
    if (p != null) {
      PrincipalState before = principals.put(p.getId(), p);
      if (before == null) {
        count.incrementAndGet();
        link(p.getSponsorId(), p.getId());
        link(p.getParentAgentId(), p.getId());
      }
      Set<Kind> kinds = kinds(before, p);
      Derived was = derived.get(p.getId());
      Derived now = derive(p);
      derived.put(p.getId(), now);
      if (was != null && !was.status().equals(now.status())) {
        kinds.add(Kind.STATUS);
      }
      if (was != null && !was.capabilities().equals(now.capabilities())) {
        kinds.add(Kind.PRINCIPAL);
      }
      if (!kinds.isEmpty()) {
        changes.add(change(offset, changes.size(), viewSeq, p, kinds, now));
      }
      if (before != null
          && (before.getStatus() != p.getStatus()
              || !before.getCapabilities().equals(p.getCapabilities()))) {
        below(p.getId(), offset, viewSeq, changes);
      }
    }
    this.offset = offset;
    if (!changes.isEmpty()) {
      for (Change c : changes) {
        if (c.state() != null) {
          latest.put(c.id(), new Latest(c.offset(), c.ledgerSeq()));
        }
        remember(c);
        for (Consumer<Change> l : listeners) {
          l.accept(c);
        }
      }
    }
    if (view.getComplete()) {
      synchronized (seqMonitor) {
        seq = viewSeq;
        seqMonitor.notifyAll();
      }
    }
    return changes;
  }

  /** The changes a principal's new state makes to itself. */
  private static Set<Kind> kinds(PrincipalState before, PrincipalState after) {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    if (before == null || before.getStatus() != after.getStatus()) {
      kinds.add(Kind.STATUS);
    }
    if (before != null && !Objects.equals(before.getTrust(), after.getTrust())) {
      kinds.add(Kind.TRUST);
    }
    if (before != null
        && (!before.getPublicKey().equals(after.getPublicKey())
            || !before.getCapabilities().equals(after.getCapabilities())
            || !Objects.equals(before.getExpiresAt(), after.getExpiresAt())
            || !before.getName().equals(after.getName())
            || !Objects.equals(before.getContact(), after.getContact()))) {
      kinds.add(Kind.PRINCIPAL);
    }
    return kinds;
  }

  /** Agents below {@code id} whose effective status or capabilities changed with it. */
  private void below(String id, long offset, long viewSeq, List<Change> changes) {
    ArrayDeque<String> todo = new ArrayDeque<>(children(id));
    Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String childId = todo.removeFirst();
      if (!seen.add(childId)) {
        continue;
      }
      PrincipalState child = principals.get(childId);
      if (child == null) {
        continue;
      }
      Derived was = derived.get(childId);
      Derived now = derive(child);
      derived.put(childId, now);
      Set<Kind> kinds = EnumSet.noneOf(Kind.class);
      if (was == null || !was.status().equals(now.status())) {
        kinds.add(Kind.STATUS);
      }
      if (was == null || !was.capabilities().equals(now.capabilities())) {
        kinds.add(Kind.PRINCIPAL);
      }
      if (!kinds.isEmpty()) {
        changes.add(change(offset, changes.size(), viewSeq, child, kinds, now));
      }
      todo.addAll(children(childId));
    }
  }

  private static Change change(
      long offset, int index, long seq, PrincipalState p, Set<Kind> kinds, Derived derived) {
    return new Change(
        offset, index, seq, p.getId(), kinds, p, derived.status(), derived.capabilities(), null);
  }

  private Derived derive(PrincipalState p) {
    return new Derived(
        Lineage.status(p, this::principal),
        p.getKind() == PrincipalKind.AGENT
            ? Lineage.capabilities(p, this::principal)
            : List.copyOf(p.getCapabilities()));
  }

  private void link(String parent, String child) {
    if (parent != null) {
      children.computeIfAbsent(parent, k -> new ConcurrentSkipListSet<>()).add(child);
    }
  }

  private void remember(Change c) {
    recent.addLast(c);
    while (recent.size() > recentCapacity) {
      Change evicted = recent.removeFirst();
      // Keep whole views: the rest of the evicted one's changes go too.
      while (!recent.isEmpty() && recent.peekFirst().offset() == evicted.offset()) {
        recent.removeFirst();
      }
      recentFrom = evicted.offset() + 1;
    }
  }

  /**
   * Subscribes to the changes after the position {@code (after, index)}: the change {@code index}
   * of the view at offset {@code after} ({@code (-1, -1)}: from the beginning; index -1: after the
   * whole view before). When those are still among the recent changes, the backlog is exactly them;
   * otherwise it is the latest state of each principal (and of the head) that changed after that
   * offset, in the order of their latest change, with every kind, as a reader of the compacted
   * topic would find them. The listener then receives every later change, on the applying thread:
   * it must not block.
   */
  public synchronized Subscription subscribe(long after, int index, Consumer<Change> listener) {
    List<Change> backlog = new ArrayList<>();
    if (after + 1 >= recentFrom) {
      for (Change c : recent) {
        if (c.after(after, index)) {
          backlog.add(c);
        }
      }
    } else {
      LedgerHead h = head;
      if (h != null && headChangedAt > after) {
        backlog.add(
            new Change(
                headChangedAt,
                0,
                -1,
                ledgerId(h),
                EnumSet.of(Kind.LEDGER),
                null,
                null,
                List.of(),
                h));
      }
      for (Map.Entry<String, Latest> e : latest.entrySet()) {
        if (e.getValue().offset() > after) {
          PrincipalState p = principals.get(e.getKey());
          backlog.add(
              change(
                  e.getValue().offset(),
                  0,
                  e.getValue().ledgerSeq(),
                  p,
                  EnumSet.of(Kind.STATUS, Kind.TRUST, Kind.PRINCIPAL),
                  derived.get(e.getKey())));
        }
      }
      backlog.sort(Comparator.comparingLong(Change::offset).thenComparing(Change::id));
      for (int i = 1; i < backlog.size(); i++) {
        Change prev = backlog.get(i - 1);
        Change c = backlog.get(i);
        if (c.offset() == prev.offset()) {
          backlog.set(
              i,
              new Change(
                  c.offset(),
                  prev.index() + 1,
                  c.ledgerSeq(),
                  c.id(),
                  c.kinds(),
                  c.state(),
                  c.status(),
                  c.capabilities(),
                  c.head()));
        }
      }
    }
    listeners.add(listener);
    List<Change> fixed = Collections.unmodifiableList(backlog);
    return new Subscription() {
      @Override
      public List<Change> backlog() {
        return fixed;
      }

      @Override
      public void close() {
        listeners.remove(listener);
      }
    };
  }

  /** Effective status of a principal as this model last derived it. */
  public synchronized Optional<Lineage.Effective> effectiveStatus(String id) {
    Derived d = derived.get(id);
    return d == null ? Optional.empty() : Optional.of(d.status());
  }

  public Optional<PrincipalState> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  /** The ledger's head as of the latest complete view (its next_ledger_seq follows the views). */
  public Optional<LedgerHead> head() {
    LedgerHead h = head;
    if (h == null) {
      return Optional.empty();
    }
    long s = seq;
    HeadAt patched = patchedHead;
    if (patched == null || patched.seq() != s || patched.source() != h) {
      patched =
          new HeadAt(
              s,
              h,
              h.getNextLedgerSeq() > s
                  ? h
                  : LedgerHead.newBuilder(h).setNextLedgerSeq(s + 1).build());
      patchedHead = patched;
    }
    return Optional.of(patched.head());
  }

  /** Principals registered under {@code id}, in id order, after {@code after} (null: all). */
  public List<String> children(String id, String after, int limit) {
    ConcurrentSkipListSet<String> set = children.get(id);
    if (set == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String c : after == null ? set : set.tailSet(after, false)) {
      if (out.size() >= limit) {
        break;
      }
      out.add(c);
    }
    return out;
  }

  private List<String> children(String id) {
    ConcurrentSkipListSet<String> set = children.get(id);
    return set == null ? List.of() : List.copyOf(set);
  }

  public List<PrincipalState> principals(String after, int limit) {
    List<PrincipalState> out = new ArrayList<>();
    for (PrincipalState p :
        (after == null ? principals : principals.tailMap(after, false)).values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  public long principalCount() {
    return count.get();
  }

  /** The ledger_seq this model reflects: every entry up to it is applied (-1: none). */
  public long ledgerSeq() {
    return seq;
  }

  /** Offset of the latest view applied (-1: none). */
  public long offset() {
    return offset;
  }

  /**
   * Waits until the model reflects {@code ledgerSeq}, at most {@code timeoutMs}.
   *
   * @return whether it does
   */
  public boolean awaitLedgerSeq(long ledgerSeq, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    synchronized (seqMonitor) {
      while (seq < ledgerSeq) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        seqMonitor.wait(left);
      }
      return true;
    }
  }

  private static String ledgerId(LedgerHead head) {
    return dev.trustledger.ledger.sequencer.Sequencer.ledgerId(head);
  }
}
