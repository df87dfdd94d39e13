package dev.trustledger.event;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Sha256;

/**
 * The event hash: SHA-256 of an event's signing bytes. It names one event (what its signer signed)
 * whatever id it carries, so outcomes and rejections say which event they are about.
 */
public final class EventHashes {
  private EventHashes() {}

  public static byte[] of(SignedEvent event) {
    return ofSigningBytes(SigningBytes.of(event));
  }

  /** The hash of an event whose signing bytes are already at hand. */
  public static byte[] ofSigningBytes(byte[] signingBytes) {
    return Sha256.hash(signingBytes);
  }
}
