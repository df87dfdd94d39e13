package dev.trustledger.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.crypto.Domain;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.testutil.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SigningBytesTest {
  private final SignedEvent agentRegistration = SampleEvents.agentRegistration();

  @Test
  void signingBytesArePrefixThenAvroOfUnsignedEvent() {
    byte[] bytes = SigningBytes.of(agentRegistration);
    byte[] prefix = "trustledger/v1/event\n".getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOf(bytes, prefix.length)).isEqualTo(prefix);
    byte[] body = AvroBinary.encode(SigningBytes.unsigned(agentRegistration));
    assertThat(Arrays.copyOfRange(bytes, prefix.length, bytes.length)).isEqualTo(body);
  }

  @Test
  void unsignedEventEncodingIsAPrefixOfTheSignedEventEncoding() {
    byte[] signed = AvroBinary.encode(agentRegistration);
    byte[] unsigned = AvroBinary.encode(SigningBytes.unsigned(agentRegistration));
    assertThat(Arrays.copyOf(signed, unsigned.length)).isEqualTo(unsigned);
  }

  @Test
  void validSignatureAndProofOfPossessionVerify() {
    byte[] bytes = SigningBytes.of(agentRegistration);
    assertThat(
            EventSignatures.signatureValid(
                agentRegistration, bytes, SampleEvents.SPONSOR.publicKey()))
        .isTrue();
    assertThat(EventSignatures.popValid(agentRegistration, bytes, SampleEvents.AGENT.publicKey()))
        .isTrue();
  }

  @Test
  void changedFieldBreaksTheSignature() {
    SignedEvent tampered = SignedEvent.newBuilder(agentRegistration).setIssuedAt(42).build();
    assertThat(
            EventSignatures.signatureValid(
                tampered, SigningBytes.of(tampered), SampleEvents.SPONSOR.publicKey()))
        .isFalse();
  }

  @Test
  void changedByteOfSigningBytesBreaksTheSignature() {
    byte[] bytes = SigningBytes.of(agentRegistration);
    bytes[bytes.length - 1] ^= 1;
    assertThat(
            EventSignatures.signatureValid(
                agentRegistration, bytes, SampleEvents.SPONSOR.publicKey()))
        .isFalse();
  }

  @Test
  void wrongPrefixBreaksTheSignature() {
    UnsignedEvent unsigned = SigningBytes.unsigned(agentRegistration);
    byte[] entryDomain = Domain.ENTRY.prefix(AvroBinary.encode(unsigned));
    assertThat(
            EventSignatures.signatureValid(
                agentRegistration, entryDomain, SampleEvents.SPONSOR.publicKey()))
        .isFalse();
  }

  @Test
  void wrongKeyBreaksTheSignature() {
    assertThat(
            EventSignatures.signatureValid(
                agentRegistration,
                SigningBytes.of(agentRegistration),
                SampleEvents.ADMIN.publicKey()))
        .isFalse();
  }

  @Test
  void proofOfPossessionByAnotherKeyFails() {
    assertThat(
            EventSignatures.popValid(
                agentRegistration,
                SigningBytes.of(agentRegistration),
                SampleEvents.REPORTER.publicKey()))
        .isFalse();
  }

  @Test
  void missingProofOfPossessionFails() {
    SignedEvent noPop = SignedEvent.newBuilder(agentRegistration).setPopSignature(null).build();
    assertThat(
            EventSignatures.popValid(noPop, SigningBytes.of(noPop), SampleEvents.AGENT.publicKey()))
        .isFalse();
  }

  @Test
  void registrationCannotBeSignedWithoutProofOfPossession() {
    assertThatThrownBy(
            () ->
                Events.registerSponsor(SampleEvents.SPONSOR.publicKey(), "n", "c")
                    .sign(Signer.admin(SampleEvents.ADMIN)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void registrationProofMustComeFromTheRegisteredKey() {
    assertThatThrownBy(
            () ->
                Events.registerSponsor(SampleEvents.SPONSOR.publicKey(), "n", "c")
                    .sign(Signer.admin(SampleEvents.ADMIN), SampleEvents.AGENT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventIdsFollowTheGrammar() {
    assertThat(EventIds.isValid("a")).isTrue();
    assertThat(EventIds.isValid("A.b_c:d-9")).isTrue();
    assertThat(EventIds.isValid("x".repeat(64))).isTrue();
    assertThat(EventIds.isValid("x".repeat(65))).isFalse();
    assertThat(EventIds.isValid("")).isFalse();
    assertThat(EventIds.isValid("has space")).isFalse();
    assertThat(EventIds.isValid("slash/")).isFalse();
    assertThat(EventIds.isValid(null)).isFalse();
  }
}
