package dev.trustledger.trust;

import dev.trustledger.avro.Severity;

/**
 * One behaviour report as the trust model sees it.
 *
 * @param time ledger time, epoch ms
 * @param rating 0..100
 * @param severity scales negative evidence: LOW 1, MEDIUM 2, HIGH 4, CRITICAL 8
 * @param weights the reporter weights applied
 */
public record Report(long time, int rating, Severity severity, Weights weights) {
  public Report {
    if (rating < 0 || rating > 100) {
      throw new IllegalArgumentException("rating must lie in 0..100, got " + rating);
    }
    if (severity == null || weights == null) {
      throw new IllegalArgumentException("severity and weights are required");
    }
  }

  /** The severity multiplier m. */
  public static double multiplier(Severity severity) {
    return switch (severity) {
      case LOW -> 1;
      case MEDIUM -> 2;
      case HIGH -> 4;
      case CRITICAL -> 8;
    };
  }
}
