package dev.trustledger.trust;

/**
 * Trust of an agent at a query time.
 *
 * @param trust (r_T + K p_T) / (r_T + s_T + K), in [0, 1]
 * @param score floor(100 trust + 0.5), 0..100
 * @param confidence (r_T + s_T) / (r_T + s_T + K)
 * @param positive r_T, decayed positive evidence
 * @param negative s_T, decayed negative evidence
 */
public record TrustView(
    double trust, int score, double confidence, double positive, double negative) {

  /** What a revoked agent scores: nothing. */
  public static TrustView revoked(double confidence, double positive, double negative) {
    return new TrustView(0, 0, confidence, positive, negative);
  }

  /** The score of a trust value: floor(100 trust + 0.5). */
  public static int score(double trust) {
    return (int) Math.floor(100 * trust + 0.5);
  }
}
