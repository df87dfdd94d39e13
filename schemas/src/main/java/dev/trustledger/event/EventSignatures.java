package dev.trustledger.event;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;

/** Checks of an event's signature and proof of possession over its signing bytes. */
public final class EventSignatures {
  private EventSignatures() {}

  /** True when {@code signature} of {@code event} verifies under {@code signerKey}. */
  public static boolean signatureValid(
      SignedEvent event, byte[] signingBytes, Ed25519PublicKey signerKey) {
    return signerKey.verify(signingBytes, Buffers.toArray(event.getSignature()));
  }

  /**
   * True when {@code pop_signature} of {@code event} is present and verifies under the key being
   * registered.
   */
  public static boolean popValid(SignedEvent event, byte[] signingBytes, Ed25519PublicKey newKey) {
    return event.getPopSignature() != null
        && newKey.verify(signingBytes, Buffers.toArray(event.getPopSignature()));
  }
}
