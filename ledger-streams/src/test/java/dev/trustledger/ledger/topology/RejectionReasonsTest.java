package dev.trustledger.ledger.topology;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.registerSubAgent;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.AgentRegistered;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.ledger.audit.Problem;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.sequencer.Input;
import dev.trustledger.ledger.store.SignerKeyValues;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.testkit.Cast;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.topic.KeyRecords;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per rejection reason of docs/spec.md section 6.4, each named after the case. */
class RejectionReasonsTest {
  private static final long T = 1_767_225_600_000L;
  private static final Set<RejectionReason> COVERED = EnumSet.noneOf(RejectionReason.class);

  private LedgerDriver ledger;

  @BeforeEach
  void setUp() {
    ledger = new LedgerDriver();
    ledger.publish(registerSponsor("acme", T), T);
    ledger.publish(registerAgent("bot", "acme", T), T + 1);
    ledger.publish(registerAgent("peer", "acme", T), T + 2);
    assertThat(ledger.rejections()).isEmpty();
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @AfterAll
  static void everyReasonIsCovered() {
    assertThat(COVERED).containsExactlyInAnyOrder(RejectionReason.values());
  }

  private Rejection expect(RejectionReason reason) {
    Rejection r = ledger.lastRejection();
    assertThat(r).as("a rejection").isNotNull();
    assertThat(r.getReason()).as(r.getDetail()).isEqualTo(reason);
    assertThat(r.getDetail()).isNotBlank();
    assertThat(ledger.everyInputAccountedFor()).isTrue();
    COVERED.add(reason);
    return r;
  }

  private SignedEvent report(String reporter, String subject, String interaction, long issuedAt) {
    return Events.report(agentId(subject), interaction, 80, Severity.LOW, "quality")
        .eventId("rep-" + interaction)
        .issuedAt(issuedAt)
        .sign(Signer.agent(key(reporter)));
  }

  @Test
  void garbageBytesAreMalformed() {
    ledger.publishRaw("x", "not avro".getBytes(), T + 10);
    Rejection r = expect(RejectionReason.MALFORMED);
    assertThat(r.getEventId()).isNull();
    assertThat(r.getSource().getTopic()).isEqualTo("ledger.events");
  }

  @Test
  void unknownWriterSchemaIsUnsupportedSchema() {
    byte[] bytes =
        SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema())
            .encode("ledger.events", report("peer", "bot", "i1", T));
    bytes[4] ^= 0x7f;
    ledger.publishRaw(agentId("bot"), bytes, T + 10);
    expect(RejectionReason.UNSUPPORTED_SCHEMA);
  }

  @Test
  void fieldChangedAfterSigningIsBadSignature() {
    SignedEvent tampered =
        SignedEvent.newBuilder(report("peer", "bot", "i1", T)).setEventId("rep-forged").build();
    ledger.publish(tampered, T + 10);
    expect(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void signatureOfSignerMissingFromTheKeyStoreIsCheckedByTheSequencer() {
    // The verify stage knows no key for peer (as before its key record arrives), so it passes the
    // event on unchecked.
    ledger.writeKeyRecord(
        KeyRecords.sign(agentId("peer"), null, 3, LedgerDriver.LEDGER_KEY), T + 5);
    SignedEvent forged =
        SignedEvent.newBuilder(report("peer", "bot", "i1", T))
            .setSignature(ByteBuffer.wrap(new byte[64]))
            .build();
    ledger.publish(forged, T + 10);
    expect(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void eventSignedWithAForgedKeyRecordIsBadSignature() {
    // Someone who can write ledger.keys maps peer's id to their own key and signs as peer: the
    // record is refused (not signed by the ledger), and the event fails under peer's real key.
    ledger.writeKeyRecord(agentId("peer"), key("mallory").publicKey().raw(), T + 5);
    ledger.writeKeyRecord(
        KeyRecords.sign(agentId("peer"), key("mallory").publicKey().raw(), 3, key("mallory")),
        T + 6);
    SignedEvent asPeer =
        Cast.sign(SigningBytes.unsigned(report("peer", "bot", "i1", T)), key("mallory"), null);
    ledger.publish(asPeer, T + 10);
    Rejection r = expect(RejectionReason.BAD_SIGNATURE);
    assertThat(r.getDetail()).contains(agentId("peer"));
    assertThat(ledger.inputEntries()).hasSize(3);
  }

  @Test
  void aReplayedOlderKeyRecordIsRefused() {
    // The ledger took peer's key away (a newer record); a replay of the ledger's own older record
    // that gave peer its key must not bring the key back into the verify stage's store.
    var store = ledger.driver().<String, byte[]>getKeyValueStore(StoreNames.SIGNER_KEYS);
    ledger.writeKeyRecord(
        KeyRecords.sign(agentId("peer"), null, 1_000_000, LedgerDriver.LEDGER_KEY), T + 5);
    assertThat(SignerKeyValues.key(store.get(agentId("peer")))).isNull();
    ledger.writeKeyRecord(
        KeyRecords.sign(agentId("peer"), key("peer").publicKey().raw(), 3, LedgerDriver.LEDGER_KEY),
        T + 6);
    assertThat(SignerKeyValues.key(store.get(agentId("peer")))).isNull();
    assertThat(SignerKeyValues.ledgerSeq(store.get(agentId("peer")))).isEqualTo(1_000_000);
  }

  @Test
  void registrationWithProofByAnotherKeyIsBadPopSignature() {
    SignedEvent good = registerAgent("newbie", "acme", T);
    UnsignedEvent unsigned = SigningBytes.unsigned(good);
    ledger.publish(Cast.sign(unsigned, key("acme"), key("impostor")), T + 10);
    expect(RejectionReason.BAD_POP_SIGNATURE);
  }

  @Test
  void signerNobodyRegisteredIsUnknownSigner() {
    ledger.publish(report("stranger", "bot", "i1", T), T + 10);
    expect(RejectionReason.UNKNOWN_SIGNER);
  }

  @Test
  void agentRegisteredByAnotherSponsorIsSignerNotAuthorized() {
    ledger.publish(registerSponsor("other", T), T + 5);
    SignedEvent byOther =
        Events.registerAgent(key("newbie").publicKey(), sponsorId("acme"))
            .draft()
            .eventId("reg-newbie")
            .issuedAt(T)
            .sign(Signer.sponsor(key("other")), key("newbie"));
    ledger.publish(byOther, T + 10);
    expect(RejectionReason.SIGNER_NOT_AUTHORIZED);
  }

  @Test
  void suspendedAgentReportingIsSignerNotActive() {
    ledger.publish(
        Events.suspend(agentId("peer"), "incident")
            .eventId("s1")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))),
        T + 5);
    ledger.publish(report("peer", "bot", "i1", T), T + 10);
    expect(RejectionReason.SIGNER_NOT_ACTIVE);
  }

  @Test
  void reportOnUnregisteredAgentIsUnknownSubject() {
    ledger.publish(report("peer", "ghost", "i1", T), T + 10);
    expect(RejectionReason.UNKNOWN_SUBJECT);
  }

  @Test
  void registrationUnderAnotherKeysIdIsIdKeyMismatch() {
    SignedEvent good = registerAgent("newbie", "acme", T);
    UnsignedEvent unsigned =
        UnsignedEvent.newBuilder(SigningBytes.unsigned(good))
            .setSubjectId(agentId("someone"))
            .build();
    ledger.publish(Cast.sign(unsigned, key("acme"), key("newbie")), T + 10);
    expect(RejectionReason.ID_KEY_MISMATCH);
  }

  @Test
  void secondRegistrationOfAnAgentIsAlreadyRegistered() {
    SignedEvent again =
        Events.registerAgent(key("bot").publicKey(), sponsorId("acme"))
            .draft()
            .eventId("reg-bot-again")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("bot"));
    ledger.publish(again, T + 10);
    expect(RejectionReason.ALREADY_REGISTERED);
  }

  @Test
  void sameEventTwiceIsDuplicateEvent() {
    SignedEvent r = report("peer", "bot", "i1", T);
    ledger.publish(r, T + 10);
    ledger.publish(r, T + 11);
    Rejection rejection = expect(RejectionReason.DUPLICATE_EVENT);
    // genesis, sponsor, two agents, the report
    assertThat(ledger.entries()).hasSize(5);
    assertThat(rejection.getDuplicateOf().getEntryHash())
        .isEqualTo(ledger.lastEntry().getEntryHash());
  }

  @Test
  void sameInteractionUnderANewEventIdIsDuplicateEvent() {
    ledger.publish(registerSponsor("other", T), T + 3);
    ledger.publish(registerAgent("outsider", "other", T), T + 4);
    ledger.publish(report("outsider", "bot", "i1", T), T + 10);
    SignedEvent copy =
        Events.report(agentId("bot"), "i1", 80, Severity.LOW, "quality")
            .eventId("rep-i1-copy")
            .issuedAt(T)
            .sign(Signer.agent(key("outsider")));
    ledger.publish(copy, T + 11);
    Rejection r = expect(RejectionReason.DUPLICATE_EVENT);
    assertThat(r.getDetail()).contains("interaction i1");
  }

  @Test
  void eventIssuedMoreThanTheWindowAgoIsStale() {
    long day = 86_400_000L;
    ledger.publish(report("peer", "bot", "i1", T), T + day + 1);
    expect(RejectionReason.STALE_EVENT);
  }

  @Test
  void eventIssuedBeyondTheSkewIsFuture() {
    ledger.publish(report("peer", "bot", "i1", T + 10 * 60_000L), T + 10);
    expect(RejectionReason.FUTURE_EVENT);
  }

  @Test
  void reportOnRevokedAgentIsSubjectRevoked() {
    ledger.publish(
        Events.revoke(agentId("bot"), "retired")
            .eventId("rv")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))),
        T + 5);
    ledger.publish(report("peer", "bot", "i1", T), T + 10);
    expect(RejectionReason.SUBJECT_REVOKED);
  }

  @Test
  void agentReportingOnItselfIsSelfReport() {
    ledger.publish(report("bot", "bot", "i1", T), T + 10);
    expect(RejectionReason.SELF_REPORT);
  }

  @Test
  void ratingAboveHundredIsInvalidField() {
    ledger.publish(
        Events.report(agentId("bot"), "i1", 101, Severity.LOW, "q")
            .eventId("r101")
            .issuedAt(T)
            .sign(Signer.agent(key("peer"))),
        T + 10);
    expect(RejectionReason.INVALID_FIELD);
  }

  @Test
  void recordKeyOtherThanTheSubjectIsInvalidField() {
    SignedEvent r = report("peer", "bot", "i1", T);
    ledger.publishRaw(
        agentId("peer"),
        SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema()).encode("ledger.events", r),
        T + 10);
    Rejection rejection = expect(RejectionReason.INVALID_FIELD);
    assertThat(rejection.getDetail()).contains("record key");
  }

  @Test
  void eventIdWithSpacesIsInvalidField() {
    UnsignedEvent unsigned =
        UnsignedEvent.newBuilder(SigningBytes.unsigned(report("peer", "bot", "i1", T)))
            .setEventId("has space")
            .build();
    ledger.publish(Cast.sign(unsigned, key("peer"), null), T + 10);
    expect(RejectionReason.INVALID_FIELD);
  }

  @Test
  void agentOfRevokedSponsorIsSponsorNotActive() {
    ledger.publish(
        Events.revokeSponsor(sponsorId("acme"), "closed")
            .eventId("rs")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)),
        T + 5);
    ledger.publish(registerAgent("late", "acme", T), T + 10);
    expect(RejectionReason.SPONSOR_NOT_ACTIVE);
  }

  @Test
  void subAgentOfSuspendedParentIsParentNotActive() {
    ledger.publish(
        Events.suspend(agentId("bot"), "incident")
            .eventId("s1")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))),
        T + 5);
    ledger.publish(registerSubAgent("child", "bot", "acme", T), T + 10);
    expect(RejectionReason.PARENT_NOT_ACTIVE);
  }

  @Test
  void expiredAgentReportingIsExpired() {
    SignedEvent shortLived =
        Events.registerAgent(key("brief").publicKey(), sponsorId("acme"))
            .expiresAt(T + 1_000)
            .draft()
            .eventId("reg-brief")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("brief"));
    ledger.publish(shortLived, T + 10);
    ledger.publish(report("brief", "bot", "i1", T), T + 2_000);
    expect(RejectionReason.EXPIRED);
  }

  @Test
  void registrationAlreadyExpiredIsExpired() {
    SignedEvent expired =
        Events.registerAgent(key("old").publicKey(), sponsorId("acme"))
            .expiresAt(T)
            .draft()
            .eventId("reg-old")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("old"));
    ledger.publish(expired, T + 10);
    expect(RejectionReason.EXPIRED);
  }

  @Test
  void reportSignedWithARetiredKeyIsKeyRetired() {
    ledger.publish(
        Events.rotateKey(agentId("peer"), key("peer-2").publicKey(), "routine")
            .eventId("rot-peer")
            .issuedAt(T)
            .sign(Signer.agent(key("peer")), key("peer-2")),
        T + 5);
    // The verify stage knows the new key by now (ledger.keys): its verdict is a bad signature,
    // which the sequencer names KEY_RETIRED because the old key verifies it.
    ledger.publish(report("peer", "bot", "i1", T), T + 10);
    Rejection r = expect(RejectionReason.KEY_RETIRED);
    assertThat(r.getDetail()).contains("retired at ledger_seq");
  }

  @Test
  void subAgentWithACapabilityItsParentLacksIsCapabilityNotHeld() {
    ledger.publish(
        Events.registerAgent(key("helper").publicKey(), sponsorId("acme"))
            .parent(agentId("bot"))
            .capabilities(java.util.List.of("test", "payments:execute"))
            .draft()
            .eventId("reg-helper")
            .issuedAt(T)
            .sign(Signer.agent(key("bot")), key("helper")),
        T + 10);
    Rejection r = expect(RejectionReason.CAPABILITY_NOT_HELD);
    assertThat(r.getDetail()).contains("payments:execute").doesNotContain("test,");
  }

  @Test
  void sponsorRegisteredByASponsorIsSignerNotAuthorized() {
    SignedEvent bySponsor =
        Events.registerSponsor(key("rogue").publicKey(), "rogue", "r@example.org")
            .eventId("reg-rogue")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("rogue"));
    ledger.publish(bySponsor, T + 10);
    expect(RejectionReason.SIGNER_NOT_AUTHORIZED);
  }

  @Test
  void truncatedSignedEventIsMalformed() {
    byte[] bytes =
        SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema())
            .encode("ledger.events", report("peer", "bot", "i1", T));
    ledger.publishRaw(agentId("bot"), Arrays.copyOf(bytes, bytes.length - 7), T + 10);
    expect(RejectionReason.MALFORMED);
  }

  @Test
  void nullValueIsMalformed() {
    ledger.publishRaw(agentId("bot"), null, T + 10);
    expect(RejectionReason.MALFORMED);
  }

  @Test
  void registrationWithInvalidPublicKeyIsInvalidField() {
    SignedEvent good = registerAgent("newbie", "acme", T);
    UnsignedEvent unsigned = SigningBytes.unsigned(good);
    AgentRegistered payload =
        AgentRegistered.newBuilder((AgentRegistered) unsigned.getPayload())
            .setPublicKey(ByteBuffer.wrap(new byte[31]))
            .build();
    ledger.publish(
        Cast.sign(
            UnsignedEvent.newBuilder(unsigned).setPayload(payload).build(),
            key("acme"),
            key("newbie")),
        T + 10);
    expect(RejectionReason.INVALID_FIELD);
  }

  @Test
  void inputWhoseStepFailsUnderTheRejectPolicyIsInternalError() {
    ledger.close();
    ledger =
        new LedgerDriver(
            Map.of(LedgerConfig.EXCEPTION_POLICY_CONFIG, "reject"),
            step ->
                (state, input) -> {
                  if (input instanceof Input.Event e && e.event().getEventId().equals("rep-boom")) {
                    throw new IllegalStateException("a bug in the rules");
                  }
                  return step.step(state, input);
                });
    ledger.publish(registerSponsor("acme", T), T);
    ledger.publish(registerAgent("bot", "acme", T), T + 1);
    ledger.publish(registerAgent("peer", "acme", T), T + 2);
    ledger.publish(report("peer", "bot", "boom", T), T + 10);
    Rejection r = expect(RejectionReason.INTERNAL_ERROR);
    assertThat(r.getDetail()).contains("a bug in the rules");
    // The ledger goes on, and the auditor, whose step does not fail, reports the rejection.
    ledger.publish(report("peer", "bot", "next", T), T + 11);
    assertThat(ledger.lastEntry().getEvent()).isInstanceOf(SignedEvent.class);
    assertThat(ledger.auditor().audit(ledger.auditLog()).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo(Problem.Kind.DECISION));
  }

  @Test
  void everyRejectionNamesItsSourceRecord() {
    ledger.publishRaw("x", new byte[] {1, 2, 3}, T + 10);
    Rejection r = ledger.lastRejection();
    assertThat(r.getSource().getOffset()).isEqualTo(3);
    assertThat(r.getSource().getTimestamp()).isEqualTo(T + 10);
    assertThat(List.of(r.getSource().getTopic())).containsExactly("ledger.events");
  }
}
