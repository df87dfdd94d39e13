package dev.trustledger.trust;

/**
 * A decaying count kept about one agent: how many reports one reporter made about it, or how much
 * evidence one sponsor's tree added, as of {@code time}.
 *
 * @param id the reporter's or the tree's id
 * @param value the count or evidence as of {@code time}
 * @param time epoch ms
 */
public record Tally(String id, double value, long time) {
  public Tally {
    if (!(value >= 0)) {
      throw new IllegalArgumentException("a tally is not negative, got " + value);
    }
  }

  /** The value at {@code t}: halved every {@code halfLifeMs} (never grown by a time before). */
  public double at(long t, long halfLifeMs) {
    return value * TrustModel.decay(t - time, halfLifeMs);
  }
}
