package dev.trustledger.chain;

import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Sha256;

/**
 * The running hash of one {@code ledger.entries} partition: {@code L(0)} is 32 zero bytes and
 * {@code L(n) = SHA-256("trustledger/v1/log\n" || L(n-1) || entry_hash(n))}.
 */
public final class LogHash {
  private LogHash() {}

  /** L(0): a copy of 32 zero bytes. */
  public static byte[] empty() {
    return new byte[Sha256.LENGTH];
  }

  /** L(n) from L(n-1) and the hash of the n-th entry. */
  public static byte[] next(byte[] previous, byte[] entryHash) {
    if (previous.length != Sha256.LENGTH || entryHash.length != Sha256.LENGTH) {
      throw new IllegalArgumentException(
          "log hash inputs must be 32 bytes, got " + previous.length + " and " + entryHash.length);
    }
    return Sha256.hash(Domain.LOG, previous, entryHash);
  }

  /** L(n) over a sequence of entry hashes, starting from L(0). */
  public static byte[] of(Iterable<byte[]> entryHashes) {
    byte[] log = empty();
    for (byte[] entryHash : entryHashes) {
      log = next(log, entryHash);
    }
    return log;
  }
}
