package dev.trustledger.ledger.verify;

import static dev.trustledger.avro.RejectionReason.BAD_POP_SIGNATURE;
import static dev.trustledger.avro.RejectionReason.BAD_SIGNATURE;
import static dev.trustledger.avro.RejectionReason.ID_KEY_MISMATCH;
import static dev.trustledger.avro.RejectionReason.INVALID_FIELD;

import dev.trustledger.avro.AgentCapabilitiesChanged;
import dev.trustledger.avro.AgentRegistered;
import dev.trustledger.avro.AgentReinstated;
import dev.trustledger.avro.AgentRenewed;
import dev.trustledger.avro.AgentRevoked;
import dev.trustledger.avro.AgentSuspended;
import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.KeyRotated;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParametersChanged;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.SponsorRegistered;
import dev.trustledger.avro.SponsorReinstated;
import dev.trustledger.avro.SponsorRevoked;
import dev.trustledger.avro.SponsorSuspended;
import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventIds;
import dev.trustledger.event.EventSignatures;
import dev.trustledger.event.Events;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.id.PrincipalIds;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Checks everything about an event that depends only on the event and its signer's key: the
 * signature first, then the proof of possession and the self-certifying id of registrations, then
 * the fields. A pure function of the event and the key it is checked with, so the verifier stage,
 * the sequencer and the auditor always agree; which key a signer has is the ledger's state's to say
 * (keys rotate).
 */
public final class EventVerifier {
  static final int MAX_NAME = 256;
  static final int MAX_TEXT = 1024;
  static final int MAX_URI = 2048;
  static final int MAX_CAPABILITIES = 64;
  static final int MAX_CAPABILITY = 128;

  /** The latest expiry an agent may have: the end of year 9999 (epoch ms). */
  static final long MAX_EXPIRES_AT = 253_402_300_799_999L;

  private final PublicKeyCache keys;

  public EventVerifier(PublicKeyCache keys) {
    this.keys = keys;
  }

  /** The kind a subject id must have for the payload of {@code event}; empty: any principal. */
  public static Optional<PrincipalKind> subjectKind(SignedEvent event) {
    return Events.subjectKind(event.getPayload());
  }

  /**
   * Verifies {@code event} signed by the holder of {@code signerKey} (raw 32 bytes).
   *
   * @return the rejection, or empty when the event is well signed and well formed
   */
  public Optional<Rejected> verify(SignedEvent event, byte[] signerKey) {
    Ed25519PublicKey signer;
    try {
      signer = keys.get(signerKey);
    } catch (CryptoException e) {
      return reject(BAD_SIGNATURE, "signer key is unusable: " + e.getMessage());
    }
    byte[] signingBytes = SigningBytes.of(event);
    if (!EventSignatures.signatureValid(event, signingBytes, signer)) {
      return reject(
          BAD_SIGNATURE, "signature does not verify under the key of " + event.getSignerId());
    }
    Optional<Rejected> registration = verifyRegistration(event, signingBytes);
    if (registration.isPresent()) {
      return registration;
    }
    return checkFields(event);
  }

  /** Whether {@code event}'s signature verifies under {@code key}, and nothing else. */
  public boolean signatureValid(SignedEvent event, byte[] key) {
    try {
      return EventSignatures.signatureValid(event, SigningBytes.of(event), keys.get(key));
    } catch (CryptoException e) {
      return false;
    }
  }

  private Optional<Rejected> verifyRegistration(SignedEvent event, byte[] signingBytes) {
    Optional<ByteBuffer> rawKey = Events.provenKey(event.getPayload());
    if (rawKey.isEmpty()) {
      if (event.getPopSignature() != null) {
        return reject(
            INVALID_FIELD, "pop_signature is only allowed on registrations and key rotations");
      }
      return Optional.empty();
    }
    byte[] key = Buffers.toArray(rawKey.get());
    boolean rotation = event.getPayload() instanceof KeyRotated;
    Ed25519PublicKey newKey;
    try {
      newKey = keys.get(key);
    } catch (CryptoException e) {
      return reject(
          INVALID_FIELD, (rotation ? "new_public_key: " : "public_key: ") + e.getMessage());
    }
    if (!EventSignatures.popValid(event, signingBytes, newKey)) {
      return reject(
          BAD_POP_SIGNATURE,
          event.getPopSignature() == null
              ? (rotation ? "key rotation" : "registration") + " lacks pop_signature"
              : "pop_signature does not verify under the "
                  + (rotation ? "new" : "registered")
                  + " key");
    }
    if (rotation) {
      // The principal keeps the id of its first key (docs/spec.md section 4.4).
      return Optional.empty();
    }
    PrincipalKind kind = subjectKind(event).orElseThrow();
    String expected = PrincipalIds.of(kind, key);
    if (!expected.equals(event.getSubjectId())) {
      return reject(
          ID_KEY_MISMATCH,
          "subject_id is " + event.getSubjectId() + ", the key's id is " + expected);
    }
    return Optional.empty();
  }

  private static Optional<Rejected> checkFields(SignedEvent event) {
    if (!EventIds.isValid(event.getEventId())) {
      return reject(INVALID_FIELD, "event_id must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    Optional<PrincipalKind> kind = subjectKind(event);
    if (kind.isEmpty()
        ? PrincipalIds.kindOf(event.getSubjectId()).isEmpty()
        : !PrincipalIds.isWellFormed(event.getSubjectId(), kind.get())) {
      return reject(
          INVALID_FIELD,
          "subject_id '"
              + event.getSubjectId()
              + "' is not "
              + kind.map(k -> "a " + k + " id").orElse("a principal id")
              + " for this payload");
    }
    Object payload = event.getPayload();
    if (payload instanceof SponsorRegistered s) {
      return firstOf(
          text("name", s.getName(), 1, MAX_NAME), text("contact", s.getContact(), 1, MAX_NAME));
    }
    if (payload instanceof AgentRegistered a) {
      return checkAgent(a);
    }
    if (payload instanceof BehaviourReported r) {
      return checkReport(r);
    }
    if (payload instanceof AgentSuspended p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof AgentReinstated p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof AgentRevoked p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof SponsorRevoked p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof LedgerParametersChanged p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof LedgerGenesis) {
      return Optional.empty();
    }
    if (payload instanceof KeyRotated k) {
      return text("reason", k.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof AgentRenewed r) {
      if (r.getExpiresAt() <= 0 || r.getExpiresAt() > MAX_EXPIRES_AT) {
        return reject(
            INVALID_FIELD, "expires_at must be a positive epoch millisecond before the year 10000");
      }
      return text("reason", r.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof AgentCapabilitiesChanged c) {
      return firstOf(
          checkCapabilities(c.getCapabilities()), text("reason", c.getReason(), 0, MAX_TEXT));
    }
    if (payload instanceof SponsorSuspended p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    if (payload instanceof SponsorReinstated p) {
      return text("reason", p.getReason(), 0, MAX_TEXT);
    }
    return reject(INVALID_FIELD, "unknown payload type");
  }

  private static Optional<Rejected> checkAgent(AgentRegistered a) {
    if (!PrincipalIds.isWellFormed(a.getSponsorId(), PrincipalKind.SPONSOR)) {
      return reject(INVALID_FIELD, "sponsor_id '" + a.getSponsorId() + "' is not a sponsor id");
    }
    if (a.getParentAgentId() != null
        && !PrincipalIds.isWellFormed(a.getParentAgentId(), PrincipalKind.AGENT)) {
      return reject(
          INVALID_FIELD, "parent_agent_id '" + a.getParentAgentId() + "' is not an agent id");
    }
    Optional<Rejected> capabilities = checkCapabilities(a.getCapabilities());
    if (capabilities.isPresent()) {
      return capabilities;
    }
    if (a.getExpiresAt() != null && (a.getExpiresAt() <= 0 || a.getExpiresAt() > MAX_EXPIRES_AT)) {
      return reject(
          INVALID_FIELD, "expires_at must be a positive epoch millisecond before the year 10000");
    }
    return firstOf(
        text("name", a.getName(), 1, MAX_NAME),
        a.getWallet() == null ? Optional.empty() : text("wallet", a.getWallet(), 1, MAX_NAME));
  }

  private static Optional<Rejected> checkCapabilities(List<String> capabilities) {
    if (capabilities.size() > MAX_CAPABILITIES) {
      return reject(
          INVALID_FIELD,
          "capabilities: got " + capabilities.size() + ", at most " + MAX_CAPABILITIES);
    }
    for (String capability : capabilities) {
      Optional<Rejected> bad = text("capability", capability, 1, MAX_CAPABILITY);
      if (bad.isPresent()) {
        return bad;
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejected> checkReport(BehaviourReported r) {
    if (r.getRating() < 0 || r.getRating() > 100) {
      return reject(INVALID_FIELD, "rating must lie in 0..100, got " + r.getRating());
    }
    if (r.getEvidenceSha256() != null && r.getEvidenceSha256().remaining() != Sha256.LENGTH) {
      return reject(
          INVALID_FIELD,
          "evidence_sha256: got " + r.getEvidenceSha256().remaining() + " bytes, want 32");
    }
    return firstOf(
        text("interaction_id", r.getInteractionId(), 1, MAX_NAME),
        text("category", r.getCategory(), 0, MAX_NAME),
        r.getEvidenceUri() == null
            ? Optional.empty()
            : text("evidence_uri", r.getEvidenceUri(), 1, MAX_URI));
  }

  @SafeVarargs
  private static Optional<Rejected> firstOf(Optional<Rejected>... checks) {
    for (Optional<Rejected> check : checks) {
      if (check.isPresent()) {
        return check;
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejected> text(String field, String value, int min, int max) {
    if (value.length() < min || value.length() > max) {
      return reject(
          INVALID_FIELD,
          field + ": got " + value.length() + " characters, want " + min + ".." + max);
    }
    return Optional.empty();
  }

  private static Optional<Rejected> reject(
      dev.trustledger.avro.RejectionReason reason, String detail) {
    return Optional.of(Rejected.of(reason, detail));
  }
}
