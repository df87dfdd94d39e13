package dev.trustledger.event;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Buffers;
import java.time.Clock;
import java.util.Arrays;

/**
 * An event being prepared: subject and payload fixed, id and time defaulted, not yet signed. Made
 * by {@link Events}; {@link #sign(Signer)} or, for registrations, {@link #sign(Signer,
 * Ed25519PrivateKey)} produces the {@link SignedEvent} to publish.
 */
public final class EventDraft {
  private final String subjectId;
  private final Object payload;
  private String eventId = EventIds.random();
  private Long issuedAt;
  private Clock clock = Clock.systemUTC();

  EventDraft(String subjectId, Object payload) {
    this.subjectId = subjectId;
    this.payload = payload;
  }

  /** Sets the client-chosen event id (default: a random UUID). */
  public EventDraft eventId(String eventId) {
    if (!EventIds.isValid(eventId)) {
      throw new IllegalArgumentException(
          "event_id must be 1-64 characters of [A-Za-z0-9._:-], got '" + eventId + "'");
    }
    this.eventId = eventId;
    return this;
  }

  /** Sets {@code issued_at} in epoch milliseconds (default: the clock's now at signing). */
  public EventDraft issuedAt(long epochMillis) {
    this.issuedAt = epochMillis;
    return this;
  }

  /** The clock that dates the event when no {@link #issuedAt(long)} is given. */
  public EventDraft clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public String subjectId() {
    return subjectId;
  }

  /** The envelope as {@code signer} would sign it. */
  public UnsignedEvent unsigned(String signerId) {
    return UnsignedEvent.newBuilder()
        .setEventId(eventId)
        .setSubjectId(subjectId)
        .setIssuedAt(issuedAt != null ? issuedAt : clock.millis())
        .setSignerId(signerId)
        .setPayload(payload)
        .build();
  }

  /** Signs an event that proves no new key (not a registration or a rotation). */
  public SignedEvent sign(Signer signer) {
    if (isRegistration()) {
      throw new IllegalStateException(
          "a registration needs proof of possession: use sign(signer, newKey)");
    }
    return build(signer, null);
  }

  /**
   * Signs a registration or a key rotation with {@code signer} and proves possession of the
   * registered or new key with {@code newKey}.
   */
  public SignedEvent sign(Signer signer, Ed25519PrivateKey newKey) {
    if (!isRegistration()) {
      throw new IllegalStateException("only registrations carry a proof of possession");
    }
    if (!Arrays.equals(newKey.publicKey().raw(), registeredKey())) {
      throw new IllegalArgumentException(
          "newKey is not the key this event registers or rotates to");
    }
    return build(signer, newKey);
  }

  private SignedEvent build(Signer signer, Ed25519PrivateKey newKey) {
    return EventSigning.sign(unsigned(signer.id()), signer.key(), newKey);
  }

  /** A registration or a key rotation: it proves possession of a new key. */
  private boolean isRegistration() {
    return Events.provenKey(payload).isPresent();
  }

  private byte[] registeredKey() {
    return Buffers.toArray(Events.provenKey(payload).orElseThrow());
  }
}
