package dev.trustledger.trust;

import dev.trustledger.avro.TrustState;

/**
 * The trust state of one agent: positive and negative evidence as of {@code evidenceTime}, and its
 * last activity. Immutable; {@link TrustModel} computes transitions.
 *
 * @param positive r
 * @param negative s
 * @param evidenceTime t_ev, epoch ms
 * @param activityTime t_act, epoch ms
 * @param positiveReports reports counted with rating at least 50
 * @param negativeReports reports counted with rating below 50
 */
public record Evidence(
    double positive,
    double negative,
    long evidenceTime,
    long activityTime,
    int positiveReports,
    int negativeReports) {

  public Evidence {
    if (!(positive >= 0) || !(negative >= 0)) {
      throw new IllegalArgumentException("evidence must be non-negative numbers");
    }
  }

  /** A newly registered agent: no evidence, active at {@code registeredAt}. */
  public static Evidence registered(long registeredAt) {
    return new Evidence(0, 0, registeredAt, registeredAt, 0, 0);
  }

  /** The same evidence with activity at {@code time} (never moving backwards). */
  public Evidence withActivity(long time) {
    return new Evidence(
        positive,
        negative,
        evidenceTime,
        Math.max(activityTime, time),
        positiveReports,
        negativeReports);
  }

  /**
   * This evidence with the activity time of {@code before}: after a report that does not count as
   * the agent's activity (a reporter with a conflict of interest).
   */
  public Evidence keepingActivityOf(Evidence before) {
    return new Evidence(
        positive, negative, evidenceTime, before.activityTime, positiveReports, negativeReports);
  }

  /** The evidence an entry records (its {@code trust_after}). */
  public static Evidence of(TrustState s) {
    return new Evidence(
        s.getPositive(),
        s.getNegative(),
        s.getEvidenceTime(),
        s.getActivityTime(),
        s.getPositiveReports(),
        s.getNegativeReports());
  }

  /** The Avro form, as stored and recorded in entries. */
  public TrustState toAvro() {
    return TrustState.newBuilder()
        .setPositive(positive)
        .setNegative(negative)
        .setEvidenceTime(evidenceTime)
        .setActivityTime(activityTime)
        .setPositiveReports(positiveReports)
        .setNegativeReports(negativeReports)
        .build();
  }
}
