package dev.trustledger.ledger.store;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Values of the {@link StoreNames#SIGNER_KEYS} store: the {@code ledger_seq} of the key record in
 * force (8 bytes, big-endian), then the raw 32-byte key, or nothing when the principal signs
 * nothing any more. The sequence number lets the store refuse a replayed older record.
 */
public final class SignerKeyValues {
  private SignerKeyValues() {}

  public static byte[] of(long ledgerSeq, byte[] key) {
    ByteBuffer out = ByteBuffer.allocate(8 + (key == null ? 0 : key.length));
    out.putLong(ledgerSeq);
    if (key != null) {
      out.put(key);
    }
    return out.array();
  }

  /** The key, or null when the value is null or names no key. */
  public static byte[] key(byte[] value) {
    return value == null || value.length <= 8 ? null : Arrays.copyOfRange(value, 8, value.length);
  }

  /** The ledger_seq of the record in force, or -1 when there is none. */
  public static long ledgerSeq(byte[] value) {
    return value == null || value.length < 8 ? -1 : ByteBuffer.wrap(value).getLong();
  }
}
