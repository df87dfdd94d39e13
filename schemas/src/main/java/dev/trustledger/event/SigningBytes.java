package dev.trustledger.event;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.crypto.Domain;
import dev.trustledger.serde.AvroBinary;

/**
 * The exact bytes an event's signature and proof of possession cover: the UTF-8 prefix {@code
 * trustledger/v1/event\n} followed by the Avro binary encoding of {@link UnsignedEvent}.
 */
public final class SigningBytes {
  private SigningBytes() {}

  public static byte[] of(UnsignedEvent event) {
    return Domain.EVENT.prefix(AvroBinary.encode(event));
  }

  /** The signing bytes of a signed event: those of its unsigned part. */
  public static byte[] of(SignedEvent event) {
    return of(unsigned(event));
  }

  /** The envelope of {@code event} without {@code signature} and {@code pop_signature}. */
  public static UnsignedEvent unsigned(SignedEvent event) {
    return UnsignedEvent.newBuilder()
        .setEventId(event.getEventId())
        .setSubjectId(event.getSubjectId())
        .setIssuedAt(event.getIssuedAt())
        .setSignerId(event.getSignerId())
        .setPayload(event.getPayload())
        .build();
  }
}
