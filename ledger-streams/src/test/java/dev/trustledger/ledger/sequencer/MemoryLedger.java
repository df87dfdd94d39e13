package dev.trustledger.ledger.sequencer;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.trust.TrustParams;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A ledger in memory for pure tests of the step: a {@link MemoryLedgerState}, the {@link
 * Sequencer}, and every step's output. No Kafka.
 */
final class MemoryLedger {
  static final long T = 1_767_225_600_000L;

  final MemoryLedgerState state = new MemoryLedgerState();
  final Sequencer sequencer = new Sequencer(new EventVerifier(new PublicKeyCache(1000)));
  final List<Step> steps = new ArrayList<>();
  final List<LedgerEntry> entries = new ArrayList<>();
  private long offset;

  /** The parameters of a test ledger: defaults, three entries partitions, one admin. */
  static LedgerParameters parameters() {
    return LedgerParameters.newBuilder()
        .setLedgerName("test.ledger")
        .setAdminPublicKeys(List.of(ByteBuffer.wrap(LedgerDriver.ADMIN.publicKey().raw())))
        .setTrust(TrustParams.DEFAULTS.toAvro())
        .setReplayWindowMs(86_400_000L)
        .setFutureSkewMs(300_000L)
        .setEntriesPartitions(3)
        .setCheckpointEntries(1000)
        .setCheckpointIntervalMs(10_000L)
        .build();
  }

  /** A ledger with its genesis written at {@code T}. */
  static MemoryLedger started() {
    return started(p -> p);
  }

  static MemoryLedger started(UnaryOperator<LedgerParameters.Builder> change) {
    MemoryLedger ledger = new MemoryLedger();
    Step genesis =
        ledger.step(
            new Input.Event(
                null,
                ledgerId(),
                genesisEvent(change.apply(LedgerParameters.newBuilder(parameters())).build()),
                null,
                T));
    if (!genesis.accepted()) {
      throw new AssertionError("genesis refused: " + genesis.rejection());
    }
    return ledger;
  }

  static SignedEvent genesisEvent(LedgerParameters params) {
    return Events.genesis(LedgerDriver.LEDGER_KEY.publicKey(), params)
        .issuedAt(T)
        .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LedgerDriver.LEDGER_KEY);
  }

  static String ledgerId() {
    return Signer.ledger(LedgerDriver.LEDGER_KEY).id();
  }

  /** Runs one input and applies what it changes. */
  Step step(Input input) {
    Step step = sequencer.step(state, input);
    state.apply(step.changes());
    steps.add(step);
    step.entries().forEach(p -> entries.add(p.entry()));
    return step;
  }

  /** An event arriving as record {@code offset} of partition 0, keyed by its subject. */
  Step publish(SignedEvent event, long t) {
    return step(new Input.Event(source(t), event.getSubjectId(), event, null, t));
  }

  /** Publishes events that must all be accepted. */
  MemoryLedger accept(long t, SignedEvent... events) {
    for (SignedEvent e : events) {
      Step step = publish(e, t);
      if (!step.accepted()) {
        throw new AssertionError(e.getEventId() + " refused: " + step.rejection());
      }
    }
    return this;
  }

  RecordRef source(long t) {
    return RecordRef.newBuilder()
        .setTopic("ledger.events")
        .setPartition(0)
        .setOffset(offset++)
        .setTimestamp(t)
        .build();
  }

  Rejection rejection(Step step) {
    return step.rejection().orElseThrow(() -> new AssertionError("accepted: " + step.entries()));
  }

  LedgerHead head() {
    return state.head().orElseThrow();
  }

  PrincipalState principal(String id) {
    return state.principal(id).orElseThrow();
  }

  List<LedgerEntry> chain(String subjectId) {
    return entries.stream().filter(e -> e.getSubjectId().equals(subjectId)).toList();
  }
}
