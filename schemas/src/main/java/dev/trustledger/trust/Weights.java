package dev.trustledger.trust;

/**
 * Reporter weights of one report (docs/spec.md section 8), recorded in its ledger entry.
 *
 * @param positive w_pos, weight of positive evidence
 * @param negative w_neg, weight of negative evidence
 */
public record Weights(double positive, double negative) {
  /** Lowest weight of an ordinary reporter. */
  public static final double FLOOR = 0.1;

  public Weights {
    if (!(positive >= 0 && positive <= 1) || !(negative >= 0 && negative <= 1)) {
      throw new IllegalArgumentException(
          "weights must lie in [0, 1], got " + positive + ", " + negative);
    }
  }

  /** An admin reports with full weight. */
  public static Weights admin() {
    return new Weights(1.0, 1.0);
  }

  /**
   * A reporter related to the subject (its sponsor, a fellow agent of its sponsor, its parent or a
   * sub-agent): no self-vouching, so positive evidence counts nothing.
   */
  public static Weights related() {
    return new Weights(0.0, 1.0);
  }

  /** Any other reporter weighs {@code clamp(reporterTrust, 0.1, 1.0)}. */
  public static Weights ofReporterTrust(double reporterTrust) {
    double w = Math.min(1.0, Math.max(FLOOR, reporterTrust));
    return new Weights(w, w);
  }
}
