package dev.trustledger.crypto;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded public keys by their raw bytes, so that a signer's key is decompressed once, not once per
 * signature. Bounded: when full it starts over (keys are cheap to decode again, and a bounded map
 * needs no eviction bookkeeping on the hot path). Thread-safe.
 */
public final class PublicKeyCache {
  private final int capacity;
  private final ConcurrentHashMap<ByteBuffer, Ed25519PublicKey> keys;

  public PublicKeyCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.keys = new ConcurrentHashMap<>();
  }

  /**
   * The decoded key for {@code raw}.
   *
   * @throws CryptoException if {@code raw} is not a valid Ed25519 public key
   */
  public Ed25519PublicKey get(byte[] raw) {
    ByteBuffer key = ByteBuffer.wrap(raw.clone());
    Ed25519PublicKey cached = keys.get(key);
    if (cached != null) {
      return cached;
    }
    Ed25519PublicKey decoded = Ed25519PublicKey.of(raw);
    if (keys.size() >= capacity) {
      keys.clear();
    }
    keys.put(key, decoded);
    return decoded;
  }

  public int size() {
    return keys.size();
  }
}
