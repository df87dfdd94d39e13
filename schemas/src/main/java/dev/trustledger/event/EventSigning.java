package dev.trustledger.event;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import java.nio.ByteBuffer;

/** Signs an envelope: the signer's signature and, for registrations, the proof of possession. */
public final class EventSigning {
  private EventSigning() {}

  /**
   * The signed event of {@code unsigned}, signed by {@code signer} and, when {@code newKey} is not
   * null, with a proof of possession by {@code newKey}. {@link EventDraft} checks the roles; this
   * signs whatever it is given.
   */
  public static SignedEvent sign(
      UnsignedEvent unsigned, Ed25519PrivateKey signer, Ed25519PrivateKey newKey) {
    byte[] bytes = SigningBytes.of(unsigned);
    return SignedEvent.newBuilder()
        .setEventId(unsigned.getEventId())
        .setSubjectId(unsigned.getSubjectId())
        .setIssuedAt(unsigned.getIssuedAt())
        .setSignerId(unsigned.getSignerId())
        .setPayload(unsigned.getPayload())
        .setSignature(ByteBuffer.wrap(signer.sign(bytes)))
        .setPopSignature(newKey == null ? null : ByteBuffer.wrap(newKey.sign(bytes)))
        .build();
  }
}
