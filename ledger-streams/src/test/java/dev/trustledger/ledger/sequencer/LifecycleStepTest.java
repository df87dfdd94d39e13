package dev.trustledger.ledger.sequencer;

import static dev.trustledger.ledger.sequencer.MemoryLedger.T;
import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.registerSubAgent;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.lineage.Lineage;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The identity lifecycle as steps of the ledger, without Kafka: key rotation (by the principal, or
 * forced by its sponsor or an admin; of agents, sponsors, admins and the ledger itself), expiry
 * with renewals and a lifetime cap, capabilities that only narrow down the tree, effective status
 * from suspended ancestors, and reports that cannot buy trust.
 */
class LifecycleStepTest {
  private static final long DAY = 86_400_000L;

  private static MemoryLedger base() {
    return MemoryLedger.started()
        .accept(
            T,
            registerSponsor("acme", T),
            registerAgent("bot", "acme", T),
            registerAgent("peer", "acme", T));
  }

  private static SignedEvent report(Signer reporter, String subject, String interaction) {
    return Events.report(agentId(subject), interaction, 90, Severity.LOW, "quality")
        .eventId("rep-" + interaction)
        .issuedAt(T)
        .sign(reporter);
  }

  private static SignedEvent rotate(
      String subjectId, Signer by, Ed25519PrivateKey next, String id) {
    return Events.rotateKey(subjectId, next.publicKey(), "rotation")
        .eventId(id)
        .issuedAt(T)
        .sign(by, next);
  }

  private static Signer rotatedAgent(String name, Ed25519PrivateKey key) {
    return Signer.rotated(PrincipalKind.AGENT, agentId(name), key);
  }

  @Test
  void anAgentRotatesItsKeyAndKeepsItsIdAndChain() {
    MemoryLedger l = base();
    Step step =
        l.publish(rotate(agentId("bot"), Signer.agent(key("bot")), key("bot-2"), "rot-1"), T + 10);

    assertThat(step.accepted()).isTrue();
    LedgerEntry entry = step.entries().get(0).entry();
    assertThat(entry.getSubjectId()).isEqualTo(agentId("bot"));
    assertThat(entry.getSeq()).isEqualTo(1);
    assertThat(Buffers.toArray(entry.getFacts().getSignerPublicKey()))
        .isEqualTo(key("bot").publicKey().raw());
    PrincipalState bot = l.principal(agentId("bot"));
    assertThat(Buffers.toArray(bot.getPublicKey())).isEqualTo(key("bot-2").publicKey().raw());
    assertThat(Buffers.toArray(bot.getFirstPublicKey())).isEqualTo(key("bot").publicKey().raw());
    assertThat(bot.getRetiredKeys()).hasSize(1);
    assertThat(bot.getRetiredKeys().get(0).getRetiredAt()).isEqualTo(entry.getLedgerSeq());
    // The verify stages learn the new key, with the first key the id derives from.
    assertThat(step.keys()).hasSize(1);
    assertThat(step.keys().get(0).publicKey()).isEqualTo(key("bot-2").publicKey().raw());
    assertThat(step.keys().get(0).firstPublicKey()).isEqualTo(key("bot").publicKey().raw());
    // A self-rotation is the agent's own activity.
    assertThat(bot.getTrust().getActivityTime()).isEqualTo(T + 10);

    assertThat(
            l.publish(report(rotatedAgent("bot", key("bot-2")), "peer", "after"), T + 20)
                .accepted())
        .isTrue();
    assertThat(
            l.rejection(l.publish(report(Signer.agent(key("bot")), "peer", "old"), T + 30))
                .getReason())
        .isEqualTo(RejectionReason.KEY_RETIRED);
  }

  @Test
  void aReportRacingARotationIsDecidedByLedgerOrder() {
    MemoryLedger first = base();
    SignedEvent byOldKey = report(Signer.agent(key("bot")), "peer", "race");
    SignedEvent rotation =
        rotate(agentId("bot"), Signer.agent(key("bot")), key("bot-2"), "rot-race");

    // Report first: signed by the key in force, accepted; the rotation after it too.
    assertThat(first.publish(byOldKey, T + 10).accepted()).isTrue();
    assertThat(first.publish(rotation, T + 11).accepted()).isTrue();

    // Rotation first: the same report now comes from a retired key.
    MemoryLedger second = base();
    assertThat(second.publish(rotation, T + 10).accepted()).isTrue();
    var r = second.rejection(second.publish(byOldKey, T + 11));
    assertThat(r.getReason()).isEqualTo(RejectionReason.KEY_RETIRED);
    assertThat(r.getDetail()).contains(agentId("bot")).contains("retired at ledger_seq");
  }

  @Test
  void aSponsorForcesTheRotationOfItsAgentsLeakedKey() {
    MemoryLedger l = base();
    assertThat(
            l.publish(
                    rotate(agentId("bot"), Signer.sponsor(key("acme")), key("bot-2"), "forced"),
                    T + 10)
                .accepted())
        .isTrue();
    // Forced: not the agent's activity.
    assertThat(l.principal(agentId("bot")).getTrust().getActivityTime()).isEqualTo(T);
    assertThat(
            l.rejection(l.publish(report(Signer.agent(key("bot")), "peer", "leaked"), T + 20))
                .getReason())
        .isEqualTo(RejectionReason.KEY_RETIRED);

    // Another agent of the sponsor cannot force it; nor can another sponsor.
    l.accept(T + 30, registerSponsor("other", T));
    var byPeer =
        l.rejection(
            l.publish(
                rotate(agentId("bot"), Signer.agent(key("peer")), key("bot-3"), "by-peer"),
                T + 40));
    assertThat(byPeer.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
    var byOther =
        l.rejection(
            l.publish(
                rotate(agentId("bot"), Signer.sponsor(key("other")), key("bot-3"), "by-other"),
                T + 41));
    assertThat(byOther.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
  }

  @Test
  void aRetiredKeyNeverComesBack() {
    MemoryLedger l = base();
    l.accept(T + 10, rotate(agentId("bot"), Signer.agent(key("bot")), key("bot-2"), "r1"));
    var back =
        l.rejection(
            l.publish(
                rotate(agentId("bot"), rotatedAgent("bot", key("bot-2")), key("bot"), "r2"),
                T + 20));
    assertThat(back.getReason()).isEqualTo(RejectionReason.INVALID_FIELD);
    assertThat(back.getDetail()).contains("retired");
    var same =
        l.rejection(
            l.publish(
                rotate(agentId("bot"), rotatedAgent("bot", key("bot-2")), key("bot-2"), "r3"),
                T + 21));
    assertThat(same.getReason()).isEqualTo(RejectionReason.INVALID_FIELD);
  }

  @Test
  void aRotationNeedsTheProofOfTheNewKey() {
    MemoryLedger l = base();
    SignedEvent noProof =
        SignedEvent.newBuilder(
                rotate(agentId("bot"), Signer.agent(key("bot")), key("bot-2"), "nopop"))
            .setPopSignature(null)
            .build();
    assertThat(l.rejection(l.publish(noProof, T + 10)).getReason())
        .isEqualTo(RejectionReason.BAD_POP_SIGNATURE);
  }

  @Test
  void anAdminForcesASponsorsRotationAndRotatesItsOwnKey() {
    MemoryLedger l = base();
    l.accept(
        T + 10, rotate(sponsorId("acme"), Signer.admin(LedgerDriver.ADMIN), key("acme-2"), "spn"));
    Signer acme2 = Signer.rotated(PrincipalKind.SPONSOR, sponsorId("acme"), key("acme-2"));
    assertThat(
            l.publish(
                    Events.suspend(agentId("bot"), "x").eventId("s1").issuedAt(T).sign(acme2),
                    T + 20)
                .accepted())
        .isTrue();
    // A sponsor cannot rotate itself with a retired key.
    assertThat(
            l.rejection(
                    l.publish(
                        Events.reinstate(agentId("bot"), "y")
                            .eventId("r1")
                            .issuedAt(T)
                            .sign(Signer.sponsor(key("acme"))),
                        T + 21))
                .getReason())
        .isEqualTo(RejectionReason.KEY_RETIRED);

    String adminId = Signer.admin(LedgerDriver.ADMIN).id();
    Step rotated =
        l.publish(rotate(adminId, Signer.admin(LedgerDriver.ADMIN), key("admin-2"), "adm"), T + 30);
    assertThat(rotated.accepted()).isTrue();
    assertThat(rotated.keys().get(0).principalId()).isEqualTo(adminId);
    assertThat(rotated.keys().get(0).firstPublicKey())
        .isEqualTo(LedgerDriver.ADMIN.publicKey().raw());
    assertThat(l.head().getAdminKeys()).hasSize(1);
    Signer admin2 = Signer.rotated(PrincipalKind.ADMIN, adminId, key("admin-2"));
    assertThat(
            l.publish(
                    Events.registerSponsor(key("new").publicKey(), "New", "ops@new.example")
                        .eventId("spn-new")
                        .issuedAt(T)
                        .sign(admin2, key("new")),
                    T + 40)
                .accepted())
        .isTrue();
    assertThat(
            l.rejection(
                    l.publish(
                        Events.registerSponsor(key("new2").publicKey(), "New2", "ops@new.example")
                            .eventId("spn-new2")
                            .issuedAt(T)
                            .sign(Signer.admin(LedgerDriver.ADMIN), key("new2")),
                        T + 41))
                .getReason())
        .isEqualTo(RejectionReason.KEY_RETIRED);
  }

  @Test
  void theLedgerSignsNothingButItsOwnRotations() {
    MemoryLedger l = base();
    SignedEvent report =
        Events.report(agentId("bot"), "by-ledger", 90, Severity.LOW, "q")
            .eventId("by-ledger")
            .issuedAt(T)
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY));
    assertThat(l.rejection(l.publish(report, T + 10)).getReason())
        .isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
  }

  @Test
  void anAdminAddedAgainSignsWithTheKeyTheParametersGiveIt() {
    Ed25519PrivateKey second = key("second-admin");
    MemoryLedger l =
        MemoryLedger.started(
            p ->
                p.setAdminPublicKeys(
                    List.of(
                        java.nio.ByteBuffer.wrap(LedgerDriver.ADMIN.publicKey().raw()),
                        java.nio.ByteBuffer.wrap(second.publicKey().raw()))));
    String adminId = Signer.admin(LedgerDriver.ADMIN).id();
    l.accept(T, rotate(adminId, Signer.admin(LedgerDriver.ADMIN), key("admin-2"), "rot"));
    String ledgerId = MemoryLedger.ledgerId();
    var withoutIt =
        dev.trustledger.avro.LedgerParameters.newBuilder(l.head().getParameters())
            .setAdminPublicKeys(List.of(java.nio.ByteBuffer.wrap(second.publicKey().raw())))
            .build();
    l.accept(
        T + 1,
        Events.changeParameters(ledgerId, withoutIt, "key leaked")
            .eventId("p1")
            .issuedAt(T)
            .sign(Signer.admin(second)));
    var withItAgain =
        dev.trustledger.avro.LedgerParameters.newBuilder(withoutIt)
            .setAdminPublicKeys(
                List.of(
                    java.nio.ByteBuffer.wrap(LedgerDriver.ADMIN.publicKey().raw()),
                    java.nio.ByteBuffer.wrap(second.publicKey().raw())))
            .build();
    l.accept(
        T + 2,
        Events.changeParameters(ledgerId, withItAgain, "back")
            .eventId("p2")
            .issuedAt(T)
            .sign(Signer.admin(second)));
    SignedEvent byParamsKey =
        Events.registerSponsor(key("s1").publicKey(), "S1", "ops@s1.example")
            .eventId("s1")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN), key("s1"));
    assertThat(l.publish(byParamsKey, T + 3).accepted()).isTrue();
    SignedEvent byOldRotatedKey =
        Events.registerSponsor(key("s2").publicKey(), "S2", "ops@s2.example")
            .eventId("s2")
            .issuedAt(T)
            .sign(Signer.rotated(PrincipalKind.ADMIN, adminId, key("admin-2")), key("s2"));
    assertThat(l.rejection(l.publish(byOldRotatedKey, T + 4)).getReason())
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void theLedgerRotatesItsOwnKeyAndKeepsItsId() {
    MemoryLedger l = base();
    String ledgerId = MemoryLedger.ledgerId();
    Step step =
        l.publish(
            rotate(ledgerId, Signer.ledger(LedgerDriver.LEDGER_KEY), key("ledger-2"), "ldg"),
            T + 10);
    assertThat(step.accepted()).isTrue();
    assertThat(step.keys()).hasSize(1);
    assertThat(step.keys().get(0).firstPublicKey())
        .isEqualTo(LedgerDriver.LEDGER_KEY.publicKey().raw());
    assertThat(Buffers.toArray(l.head().getPublicKey()))
        .isEqualTo(key("ledger-2").publicKey().raw());
    assertThat(Sequencer.ledgerId(l.head())).isEqualTo(ledgerId);
    assertThat(l.head().getRetiredKeys()).hasSize(1);
    assertThat(l.chain(ledgerId)).hasSize(2);
    // Only the ledger rotates its key.
    var byAdmin =
        l.rejection(
            l.publish(
                rotate(ledgerId, Signer.admin(LedgerDriver.ADMIN), key("ledger-3"), "ldg-2"),
                T + 20));
    assertThat(byAdmin.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
  }

  @Test
  void anExpiredAgentSignsNothingUntilItsSponsorRenewsIt() {
    MemoryLedger l = base();
    l.accept(
        T,
        Events.registerAgent(key("temp").publicKey(), sponsorId("acme"))
            .expiresAt(T + DAY)
            .draft()
            .eventId("reg-temp")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("temp")));
    long later = T + 2 * DAY;
    SignedEvent byTemp =
        Events.report(agentId("peer"), "t1", 80, Severity.LOW, "q")
            .eventId("t1")
            .issuedAt(later)
            .sign(Signer.agent(key("temp")));
    assertThat(l.rejection(l.publish(byTemp, later)).getReason())
        .isEqualTo(RejectionReason.EXPIRED);
    SignedEvent aboutTemp =
        Events.report(agentId("temp"), "t2", 80, Severity.LOW, "q")
            .eventId("t2")
            .issuedAt(later)
            .sign(Signer.agent(key("peer")));
    assertThat(l.rejection(l.publish(aboutTemp, later)).getReason())
        .isEqualTo(RejectionReason.EXPIRED);

    // Only its sponsor or an admin renews it.
    var byPeer =
        l.rejection(
            l.publish(
                Events.renew(agentId("temp"), later + DAY, "more")
                    .eventId("ren-peer")
                    .issuedAt(later)
                    .sign(Signer.agent(key("peer"))),
                later));
    assertThat(byPeer.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
    var inThePast =
        l.rejection(
            l.publish(
                Events.renew(agentId("temp"), later - 1, "late")
                    .eventId("ren-past")
                    .issuedAt(later)
                    .sign(Signer.sponsor(key("acme"))),
                later));
    assertThat(inThePast.getReason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(
            l.publish(
                    Events.renew(agentId("temp"), later + DAY, "more")
                        .eventId("ren-1")
                        .issuedAt(later)
                        .sign(Signer.sponsor(key("acme"))),
                    later)
                .accepted())
        .isTrue();
    assertThat(l.principal(agentId("temp")).getExpiresAt()).isEqualTo(later + DAY);
    SignedEvent again =
        Events.report(agentId("peer"), "t3", 80, Severity.LOW, "q")
            .eventId("t3")
            .issuedAt(later)
            .sign(Signer.agent(key("temp")));
    assertThat(l.publish(again, later + 2).accepted()).isTrue();
  }

  @Test
  void aLifetimeCapBoundsRegistrationsAndRenewals() {
    MemoryLedger l =
        MemoryLedger.started(p -> p.setAgentMaxLifetimeMs(90 * DAY))
            .accept(T, registerSponsor("acme", T));
    var none = l.rejection(l.publish(registerAgent("forever", "acme", T), T + 1));
    assertThat(none.getReason()).isEqualTo(RejectionReason.INVALID_FIELD);
    assertThat(none.getDetail()).contains("expires_at is required");
    var tooLong =
        l.rejection(
            l.publish(
                Events.registerAgent(key("long").publicKey(), sponsorId("acme"))
                    .expiresAt(T + 91 * DAY)
                    .draft()
                    .eventId("reg-long")
                    .issuedAt(T)
                    .sign(Signer.sponsor(key("acme")), key("long")),
                T + 1));
    assertThat(tooLong.getReason()).isEqualTo(RejectionReason.INVALID_FIELD);
    assertThat(tooLong.getDetail()).contains("lifetime cap");
    l.accept(
        T + 1,
        Events.registerAgent(key("ok").publicKey(), sponsorId("acme"))
            .expiresAt(T + 30 * DAY)
            .draft()
            .eventId("reg-ok")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("ok")));
    long t = T + 20 * DAY;
    var renewTooFar =
        l.rejection(
            l.publish(
                Events.renew(agentId("ok"), t + 91 * DAY, "far")
                    .eventId("ren-far")
                    .issuedAt(t)
                    .sign(Signer.sponsor(key("acme"))),
                t));
    assertThat(renewTooFar.getReason()).isEqualTo(RejectionReason.INVALID_FIELD);
    assertThat(
            l.publish(
                    Events.renew(agentId("ok"), t + 90 * DAY, "ok")
                        .eventId("ren-ok")
                        .issuedAt(t)
                        .sign(Signer.sponsor(key("acme"))),
                    t)
                .accepted())
        .isTrue();
  }

  @Test
  void capabilitiesOnlyNarrowDownTheTree() {
    MemoryLedger l = base();
    l.accept(
        T + 1,
        Events.changeCapabilities(agentId("bot"), List.of("docs:read", "docs:write"), "grant")
            .eventId("cap-bot")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))),
        Events.registerAgent(key("helper").publicKey(), sponsorId("acme"))
            .parent(agentId("bot"))
            .capabilities(List.of("docs:read", "docs:write"))
            .draft()
            .eventId("reg-helper")
            .issuedAt(T)
            .sign(Signer.agent(key("bot")), key("helper")));
    PrincipalState helper = l.principal(agentId("helper"));
    assertThat(Lineage.capabilities(helper, l.state::principal))
        .containsExactly("docs:read", "docs:write");

    // The parent loses docs:write: so does the sub-agent, effectively, at once.
    l.accept(
        T + 2,
        Events.changeCapabilities(agentId("bot"), List.of("docs:read"), "narrow")
            .eventId("cap-bot-2")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    assertThat(Lineage.capabilities(l.principal(agentId("helper")), l.state::principal))
        .containsExactly("docs:read");
    // And cannot be given it back while the parent lacks it.
    var back =
        l.rejection(
            l.publish(
                Events.changeCapabilities(agentId("helper"), List.of("docs:write"), "back")
                    .eventId("cap-helper")
                    .issuedAt(T)
                    .sign(Signer.agent(key("bot"))),
                T + 3));
    assertThat(back.getReason()).isEqualTo(RejectionReason.CAPABILITY_NOT_HELD);
    assertThat(back.getDetail()).contains("docs:write");
    // Another sponsor's agent cannot change them at all.
    l.accept(T + 4, registerSponsor("other", T), registerAgent("outsider", "other", T));
    var byOutsider =
        l.rejection(
            l.publish(
                Events.changeCapabilities(agentId("bot"), List.of(), "x")
                    .eventId("cap-out")
                    .issuedAt(T)
                    .sign(Signer.agent(key("outsider"))),
                T + 5));
    assertThat(byOutsider.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
  }

  @Test
  void aSuspendedParentOrSponsorSuspendsEveryAgentBelowIt() {
    MemoryLedger l = base();
    l.accept(T + 1, registerSubAgent("helper", "bot", "acme", T));
    l.accept(
        T + 2,
        Events.suspend(agentId("bot"), "check")
            .eventId("sus-bot")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    PrincipalState helper = l.principal(agentId("helper"));
    assertThat(helper.getStatus()).isEqualTo(PrincipalStatus.ACTIVE);
    Lineage.Effective effective = Lineage.status(helper, l.state::principal);
    assertThat(effective.status()).isEqualTo(PrincipalStatus.SUSPENDED);
    assertThat(effective.cause()).isEqualTo(agentId("bot"));
    var signs = l.rejection(l.publish(report(Signer.agent(key("helper")), "peer", "h1"), T + 3));
    assertThat(signs.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_ACTIVE);
    assertThat(signs.getDetail()).contains("through " + agentId("bot"));

    l.accept(
        T + 4,
        Events.reinstate(agentId("bot"), "ok")
            .eventId("rei-bot")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    assertThat(Lineage.status(l.principal(agentId("helper")), l.state::principal).active())
        .isTrue();

    l.accept(
        T + 5,
        Events.suspendSponsor(sponsorId("acme"), "audit")
            .eventId("sus-acme")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)));
    assertThat(Lineage.status(l.principal(agentId("peer")), l.state::principal).cause())
        .isEqualTo(sponsorId("acme"));
    assertThat(l.rejection(l.publish(registerAgent("late", "acme", T), T + 6)).getReason())
        .isEqualTo(RejectionReason.SPONSOR_NOT_ACTIVE);
    assertThat(
            l.rejection(
                    l.publish(
                        Events.suspend(agentId("bot"), "x")
                            .eventId("sus-bot-2")
                            .issuedAt(T)
                            .sign(Signer.sponsor(key("acme"))),
                        T + 7))
                .getReason())
        .isEqualTo(RejectionReason.SIGNER_NOT_ACTIVE);
    var bySponsor =
        l.rejection(
            l.publish(
                Events.suspendSponsor(sponsorId("acme"), "x")
                    .eventId("sus-acme-2")
                    .issuedAt(T)
                    .sign(Signer.agent(key("bot"))),
                T + 8));
    assertThat(bySponsor.getReason()).isEqualTo(RejectionReason.SIGNER_NOT_ACTIVE);
    l.accept(
        T + 9,
        Events.reinstateSponsor(sponsorId("acme"), "done")
            .eventId("rei-acme")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)));
    assertThat(Lineage.status(l.principal(agentId("peer")), l.state::principal).active()).isTrue();
  }

  @Test
  void aSponsorRatingItsOwnAgentLeavesItsEffectiveTrustUnchanged() {
    MemoryLedger l = base();
    long t = T + 30 * DAY;
    TrustParams params = TrustParams.DEFAULTS;
    Evidence before = Evidence.of(l.principal(agentId("bot")).getTrust());
    SignedEvent selfRating =
        Events.report(agentId("bot"), "self", 100, Severity.LOW, "q")
            .eventId("self")
            .issuedAt(t)
            .sign(Signer.sponsor(key("acme")));
    Step step = l.publish(selfRating, t);
    assertThat(step.accepted()).isTrue();
    Evidence after = Evidence.of(l.principal(agentId("bot")).getTrust());
    assertThat(after.activityTime()).isEqualTo(before.activityTime());
    for (long at : new long[] {t, t + DAY, t + 60 * DAY}) {
      assertThat(TrustModel.evaluate(after, at, params).trust())
          .isEqualTo(TrustModel.evaluate(before, at, params).trust());
    }
    // A fellow agent of the same sponsor: the same.
    SignedEvent peerRating =
        Events.report(agentId("bot"), "peer", 100, Severity.LOW, "q")
            .eventId("peer")
            .issuedAt(t)
            .sign(Signer.agent(key("peer")));
    l.accept(t + 1, peerRating);
    Evidence afterPeer = Evidence.of(l.principal(agentId("bot")).getTrust());
    assertThat(TrustModel.evaluate(afterPeer, t + DAY, params).trust())
        .isEqualTo(TrustModel.evaluate(before, t + DAY, params).trust());
  }

  @Test
  void suspensionAndRenewalAreNotTheAgentsActivity() {
    MemoryLedger l = base();
    long t = T + 10 * DAY;
    l.accept(
        t,
        Events.suspend(agentId("bot"), "x")
            .eventId("s")
            .issuedAt(t)
            .sign(Signer.sponsor(key("acme"))));
    l.accept(
        t + 1,
        Events.reinstate(agentId("bot"), "y")
            .eventId("r")
            .issuedAt(t)
            .sign(Signer.sponsor(key("acme"))));
    l.accept(
        t + 2,
        Events.renew(agentId("bot"), t + DAY, "z")
            .eventId("n")
            .issuedAt(t)
            .sign(Signer.sponsor(key("acme"))));
    assertThat(l.principal(agentId("bot")).getTrust().getActivityTime()).isEqualTo(T);
  }

  @Test
  void aRotatedPrincipalsIdIsStillTheHashOfItsFirstKey() {
    MemoryLedger l = base();
    l.accept(T + 10, rotate(agentId("bot"), Signer.agent(key("bot")), key("bot-2"), "r1"));
    PrincipalState bot = l.principal(agentId("bot"));
    assertThat(
            PrincipalIds.matches(
                bot.getId(), PrincipalKind.AGENT, Buffers.toArray(bot.getFirstPublicKey())))
        .isTrue();
    assertThat(
            PrincipalIds.matches(
                bot.getId(), PrincipalKind.AGENT, Buffers.toArray(bot.getPublicKey())))
        .isFalse();
  }
}
