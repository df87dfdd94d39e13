package dev.trustledger.trust;

import dev.trustledger.avro.TrustParameters;

/**
 * Parameters of the trust model (docs/spec.md section 8).
 *
 * @param evidenceHalfLifeMs H_e: half-life of evidence, ms
 * @param inactivityHalfLifeMs H_i: half-life of the prior without activity, ms
 * @param prior p0: trust of an agent without evidence
 * @param priorWeight K: weight of the prior against evidence
 * @param treeEvidenceCap C: most evidence one sponsor's tree adds about one agent, decaying with
 *     H_e (docs/spec.md section 8.1)
 */
public record TrustParams(
    long evidenceHalfLifeMs,
    long inactivityHalfLifeMs,
    double prior,
    double priorWeight,
    double treeEvidenceCap) {
  private static final long DAY_MS = 86_400_000L;

  /** The default C. */
  public static final double DEFAULT_TREE_EVIDENCE_CAP = 0.5;

  /** H_e = 30 days, H_i = 90 days, p0 = 0.5, K = 2, C = 0.5. */
  public static final TrustParams DEFAULTS =
      new TrustParams(30 * DAY_MS, 90 * DAY_MS, 0.5, 2.0, DEFAULT_TREE_EVIDENCE_CAP);

  /** Parameters with the default cap C. */
  public TrustParams(
      long evidenceHalfLifeMs, long inactivityHalfLifeMs, double prior, double priorWeight) {
    this(evidenceHalfLifeMs, inactivityHalfLifeMs, prior, priorWeight, DEFAULT_TREE_EVIDENCE_CAP);
  }

  public TrustParams {
    if (evidenceHalfLifeMs <= 0 || inactivityHalfLifeMs <= 0) {
      throw new IllegalArgumentException("half-lives must be positive");
    }
    if (!(prior >= 0 && prior <= 1)) {
      throw new IllegalArgumentException("prior must lie in [0, 1], got " + prior);
    }
    if (!(priorWeight > 0) || Double.isInfinite(priorWeight)) {
      throw new IllegalArgumentException("prior weight must be positive, got " + priorWeight);
    }
    if (!(treeEvidenceCap > 0) || Double.isInfinite(treeEvidenceCap)) {
      throw new IllegalArgumentException(
          "tree evidence cap must be positive, got " + treeEvidenceCap);
    }
  }

  /** The parameters as a ledger's genesis or parameter change records them. */
  public static TrustParams of(TrustParameters p) {
    return new TrustParams(
        p.getEvidenceHalfLifeMs(),
        p.getInactivityHalfLifeMs(),
        p.getPrior(),
        p.getPriorWeight(),
        p.getTreeEvidenceCap());
  }

  /** The Avro form recorded in the log. */
  public TrustParameters toAvro() {
    return TrustParameters.newBuilder()
        .setEvidenceHalfLifeMs(evidenceHalfLifeMs)
        .setInactivityHalfLifeMs(inactivityHalfLifeMs)
        .setPrior(prior)
        .setPriorWeight(priorWeight)
        .setTreeEvidenceCap(treeEvidenceCap)
        .build();
  }
}
