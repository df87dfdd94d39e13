package dev.trustledger.ledger.verify;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.ledger.testkit.Cast;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verifier as a pure function of an event and a key, one defect at a time. */
class EventVerifierTest {
  private static final long T = 1_767_225_600_000L;
  private final EventVerifier verifier = new EventVerifier(new PublicKeyCache(100));

  private static SignedEvent report() {
    return Events.report(agentId("bot"), "i1", 80, Severity.LOW, "q")
        .eventId("r1")
        .issuedAt(T)
        .sign(Signer.agent(key("peer")));
  }

  private Optional<RejectionReason> verify(SignedEvent e, String signer) {
    return verifier.verify(e, key(signer).publicKey().raw()).map(Rejected::reason);
  }

  @Test
  void aWellSignedEventVerifies() {
    assertThat(verify(report(), "peer")).isEmpty();
    assertThat(verify(registerAgent("bot", "acme", T), "acme")).isEmpty();
  }

  @Test
  void anotherKeyIsBadSignature() {
    assertThat(verify(report(), "mallory")).contains(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void aChangedFieldIsBadSignature() {
    SignedEvent changed = SignedEvent.newBuilder(report()).setIssuedAt(T + 1).build();
    assertThat(verify(changed, "peer")).contains(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void aShortSignatureIsBadSignature() {
    SignedEvent cut =
        SignedEvent.newBuilder(report()).setSignature(ByteBuffer.wrap(new byte[63])).build();
    assertThat(verify(cut, "peer")).contains(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void aRegistrationWithoutProofIsBadPopSignature() {
    SignedEvent noPop =
        SignedEvent.newBuilder(registerAgent("bot", "acme", T)).setPopSignature(null).build();
    assertThat(verify(Cast.sign(SigningBytes.unsigned(noPop), key("acme"), null), "acme"))
        .contains(RejectionReason.BAD_POP_SIGNATURE);
  }

  @Test
  void aProofByAnotherKeyIsBadPopSignature() {
    SignedEvent e =
        Cast.sign(SigningBytes.unsigned(registerAgent("bot", "acme", T)), key("acme"), key("x"));
    assertThat(verify(e, "acme")).contains(RejectionReason.BAD_POP_SIGNATURE);
  }

  @Test
  void aSubjectThatIsNotTheKeysIdIsIdKeyMismatch() {
    UnsignedEvent unsigned =
        UnsignedEvent.newBuilder(SigningBytes.unsigned(registerAgent("bot", "acme", T)))
            .setSubjectId(agentId("other"))
            .build();
    assertThat(verify(Cast.sign(unsigned, key("acme"), key("bot")), "acme"))
        .contains(RejectionReason.ID_KEY_MISMATCH);
  }

  @Test
  void aProofOnANonRegistrationIsInvalidField() {
    SignedEvent e = Cast.sign(SigningBytes.unsigned(report()), key("peer"), key("peer"));
    assertThat(verify(e, "peer")).contains(RejectionReason.INVALID_FIELD);
  }

  @Test
  void fieldsAreCheckedAfterTheSignature() {
    UnsignedEvent unsigned = SigningBytes.unsigned(report());
    BehaviourReported payload =
        BehaviourReported.newBuilder((BehaviourReported) unsigned.getPayload())
            .setEvidenceSha256(ByteBuffer.wrap(new byte[31]))
            .build();
    SignedEvent bad =
        Cast.sign(
            UnsignedEvent.newBuilder(unsigned).setPayload(payload).build(), key("peer"), null);
    assertThat(verify(bad, "peer")).contains(RejectionReason.INVALID_FIELD);
    // The same defect under a bad signature is a bad signature: nothing is read before that.
    assertThat(verify(bad, "mallory")).contains(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void anUnusableSignerKeyIsBadSignature() {
    assertThat(verifier.verify(report(), new byte[32]).map(Rejected::reason))
        .contains(RejectionReason.BAD_SIGNATURE);
  }
}
