package dev.trustledger.trust;

/**
 * The trust model of docs/spec.md section 8 as pure functions: {@link #apply} folds a report into
 * an agent's evidence, {@link #evaluate} computes trust at a query time. The ledger, the query API
 * and the auditor all call these same functions.
 */
public final class TrustModel {
  private TrustModel() {}

  /**
   * Folds {@code report} into {@code evidence}: both kinds of evidence decay to the report's time,
   * then {@code r += w_pos x} and {@code s += w_neg m (1 - x)}.
   */
  public static Evidence apply(Evidence evidence, Report report, TrustParams params) {
    double d = decay(report.time() - evidence.evidenceTime(), params.evidenceHalfLifeMs());
    double x = report.rating() / 100.0;
    double m = Report.multiplier(report.severity());
    double r = evidence.positive() * d + report.weights().positive() * x;
    double s = evidence.negative() * d + report.weights().negative() * m * (1 - x);
    boolean positive = report.rating() >= 50;
    return new Evidence(
        r,
        s,
        Math.max(evidence.evidenceTime(), report.time()),
        Math.max(evidence.activityTime(), report.time()),
        evidence.positiveReports() + (positive ? 1 : 0),
        evidence.negativeReports() + (positive ? 0 : 1));
  }

  /** Trust of an active or suspended agent at {@code at} (epoch ms). */
  public static TrustView evaluate(Evidence evidence, long at, TrustParams params) {
    double d = decay(at - evidence.evidenceTime(), params.evidenceHalfLifeMs());
    double r = evidence.positive() * d;
    double s = evidence.negative() * d;
    double p = params.prior() * decay(at - evidence.activityTime(), params.inactivityHalfLifeMs());
    double k = params.priorWeight();
    double trust = (r + k * p) / (r + s + k);
    double confidence = (r + s) / (r + s + k);
    return new TrustView(trust, TrustView.score(trust), confidence, r, s);
  }

  /**
   * {@code 2^(-elapsed / halfLife)}. Elapsed time below zero (a query or report timed before the
   * evidence, from clock skew) counts as zero, so evidence never grows by decay.
   */
  static double decay(long elapsedMs, long halfLifeMs) {
    if (elapsedMs <= 0) {
      return 1.0;
    }
    return Math.pow(2.0, -((double) elapsedMs / (double) halfLifeMs));
  }
}
