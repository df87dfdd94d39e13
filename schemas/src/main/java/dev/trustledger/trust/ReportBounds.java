package dev.trustledger.trust;

import dev.trustledger.avro.Severity;

/**
 * What no single party can do to an agent's trust (docs/spec.md section 8.1): a reporter's repeated
 * reports about one agent weigh less and less (the k-th within an evidence half-life about 1/k of
 * the first), and one sponsor's tree (the sponsor and its agents) adds at most {@code C} of
 * evidence about one agent per evidence half-life. Admins are not bounded.
 */
public final class ReportBounds {
  private ReportBounds() {}

  /**
   * The weights applied, and the tallies after the report.
   *
   * @param weights the weights the report is recorded and folded with
   * @param reporter the reporter's tally after it
   * @param tree the tree's tally after it
   */
  public record Bounded(Weights weights, Tally reporter, Tally tree) {}

  /**
   * Bounds the weights {@code base} of a report at time {@code t}.
   *
   * @param reporter the reporter's tally before, or null
   * @param tree the tally of the reporter's tree before, or null
   */
  public static Bounded apply(
      Weights base,
      int rating,
      Severity severity,
      long t,
      String reporterId,
      Tally reporter,
      String treeId,
      Tally tree,
      TrustParams params) {
    long h = params.evidenceHalfLifeMs();
    double count = reporter == null ? 0 : reporter.at(t, h);
    double diminish = 1 / (1 + count);
    double pos = base.positive() * diminish;
    double neg = base.negative() * diminish;
    double x = rating / 100.0;
    double added = pos * x + neg * Report.multiplier(severity) * (1 - x);
    double used = tree == null ? 0 : tree.at(t, h);
    double room = Math.max(0, params.treeEvidenceCap() - used);
    double scale = added <= 0 ? 1 : Math.min(1, room / added);
    return new Bounded(
        new Weights(pos * scale, neg * scale),
        new Tally(reporterId, count + 1, t),
        new Tally(treeId, used + added * scale, t));
  }
}
