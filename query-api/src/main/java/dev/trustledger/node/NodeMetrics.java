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
}
