package dev.trustledger.ledger.audit;

/**
 * A record of the log and where it stands.
 *
 * @param partition its partition
 * @param offset its offset
 * @param value the decoded record, or null when it did not decode
 * @param error why it did not decode, or null
 */
public record Located<T>(int partition, long offset, T value, String error) {
  public static <T> Located<T> of(int partition, long offset, T value) {
    return new Located<>(partition, offset, value, null);
  }

  public static <T> Located<T> broken(int partition, long offset, String error) {
    return new Located<>(partition, offset, null, error);
  }
}
