package dev.trustledger.node;

import dev.trustledger.avro.RejectionReason;
import dev.trustledger.ledger.topology.LedgerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The topology's metrics in Micrometer: ingest rate, rejections by reason, verify latency. */
final class NodeMetrics implements LedgerMetrics {
  private final Counter accepted;
  private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
  private final Timer verify;
  private final Counter refusedKeys;
  private final Counter forgedInputs;
  private final Counter refusedCheckpoints;
  private final Counter conflictingEntries;

  NodeMetrics(PrometheusMeterRegistry registry) {
    accepted =
        Counter.builder("ledger.events")
            .tag("outcome", "accepted")
            .tag("reason", "none")
            .description("Inputs accepted")
            .register(registry);
    for (RejectionReason reason : RejectionReason.values()) {
      rejected.put(
          reason,
          Counter.builder("ledger.events")
              .tag("outcome", "rejected")
              .tag("reason", reason.name())
              .description("Inputs rejected, by reason")
              .register(registry));
    }
    verify =
        Timer.builder("ledger.verify")
            .description("Signature verification of one event in the verify stage")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    refusedKeys =
        Counter.builder("ledger.keys.refused")
            .description(
                "Records of ledger.keys refused: not signed by the ledger's key, or naming a key"
                    + " that is not the principal's")
            .register(registry);
    forgedInputs =
        Counter.builder("ledger.sequencer.forged")
            .description(
                "Records of the internal sequencer topic whose MAC failed: written by no verify"
                    + " stage of this ledger, and not decided")
            .register(registry);
    refusedCheckpoints =
        Counter.builder("ledger.checkpoints.refused")
            .description(
                "Records of ledger.checkpoints refused: their note is not the ledger key's"
                    + " signature over their fields")
            .register(registry);
    conflictingEntries =
        Counter.builder("ledger.entries.conflicting")
            .description(
                "Entries of ledger.entries claiming a ledger_seq another entry holds: a forged or"
                    + " damaged topic; not indexed")
            .register(registry);
  }

  @Override
  public void refusedCheckpoint() {
    refusedCheckpoints.increment();
  }

  @Override
  public void conflictingEntry() {
    conflictingEntries.increment();
  }

  @Override
  public void accepted() {
    accepted.increment();
  }

  @Override
  public void rejected(RejectionReason reason) {
    rejected.get(reason).increment();
  }

  @Override
  public void verified(long nanos) {
    verify.record(Duration.ofNanos(nanos));
  }

  @Override
  public void refusedKeyRecord() {
    refusedKeys.increment();
  }

  @Override
  public void forgedSequencerInput() {
    forgedInputs.increment();
  }
}
