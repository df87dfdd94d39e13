package dev.trustledger.ledger.sequencer;

import static dev.trustledger.ledger.sequencer.MemoryLedger.T;
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
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.testkit.Cast;
import dev.trustledger.ledger.testkit.LedgerDriver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The step, without Kafka, for every rejection reason: one case each (some reasons have several),
 * named after what it models. Each starts from a ledger with a sponsor "acme" and its agents "bot"
 * and "peer", and checks that the rejection is data (the input, its hash and its place in the
 * ledger's order) and that the state is left as it was, but for the remembered decision.
 */
class StepRejectionsTest {
  private static final Set<RejectionReason> COVERED = EnumSet.noneOf(RejectionReason.class);

  /** One case: its name, the reason it must give, and the input (after any setup of its own). */
  record Case(String name, RejectionReason want, Function<MemoryLedger, Input> input) {
    @Override
    public String toString() {
      return name;
    }
  }

  static MemoryLedger base() {
    return MemoryLedger.started()
        .accept(
            T,
            registerSponsor("acme", T),
            registerAgent("bot", "acme", T),
            registerAgent("peer", "acme", T));
  }

  static Input event(MemoryLedger l, SignedEvent e, long t) {
    return new Input.Event(l.source(t), e.getSubjectId(), e, null, t);
  }

  static SignedEvent report(String reporter, String subject, String interaction) {
    return Events.report(agentId(subject), interaction, 80, Severity.LOW, "quality")
        .eventId("rep-" + interaction)
        .issuedAt(T)
        .sign(Signer.agent(key(reporter)));
  }

  static SignedEvent suspend(String agent) {
    return Events.suspend(agentId(agent), "check")
        .eventId("sus-" + agent)
        .issuedAt(T)
        .sign(Signer.sponsor(key("acme")));
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    out.add(
        new Case(
            "bytes that do not decode",
            RejectionReason.MALFORMED,
            l ->
                new Input.Undecodable(
                    l.source(T), "x", RejectionReason.MALFORMED, "not Avro", T + 10)));
    out.add(
        new Case(
            "a writer schema nobody knows",
            RejectionReason.UNSUPPORTED_SCHEMA,
            l ->
                new Input.Undecodable(
                    l.source(T),
                    "x",
                    RejectionReason.UNSUPPORTED_SCHEMA,
                    "unknown fingerprint",
                    T + 10)));
    out.add(
        new Case(
            "a field changed after signing",
            RejectionReason.BAD_SIGNATURE,
            l ->
                event(
                    l,
                    SignedEvent.newBuilder(report("peer", "bot", "i1"))
                        .setEventId("rep-forged")
                        .build(),
                    T + 10)));
    out.add(
        new Case(
            "a verdict made with another key than the signer's counts for nothing",
            RejectionReason.BAD_SIGNATURE,
            l -> {
              SignedEvent byMallory =
                  Cast.sign(
                      SigningBytes.unsigned(report("peer", "bot", "i1")), key("mallory"), null);
              Verdict forged =
                  Verdict.newBuilder()
                      .setSignerKey(ByteBuffer.wrap(key("mallory").publicKey().raw()))
                      .build();
              return new Input.Event(
                  l.source(T), byMallory.getSubjectId(), byMallory, forged, T + 10);
            }));
    out.add(
        new Case(
            "a registration whose proof of possession is by another key",
            RejectionReason.BAD_POP_SIGNATURE,
            l ->
                event(
                    l,
                    Cast.sign(
                        SigningBytes.unsigned(registerAgent("newbie", "acme", T)),
                        key("acme"),
                        key("impostor")),
                    T + 10)));
    out.add(
        new Case(
            "a signer nobody registered",
            RejectionReason.UNKNOWN_SIGNER,
            l -> event(l, report("stranger", "bot", "i1"), T + 10)));
    out.add(
        new Case(
            "an agent registered by another sponsor",
            RejectionReason.SIGNER_NOT_AUTHORIZED,
            l -> {
              l.accept(T, registerSponsor("other", T));
              return event(
                  l,
                  Events.registerAgent(key("newbie").publicKey(), sponsorId("acme"))
                      .draft()
                      .eventId("reg-newbie")
                      .issuedAt(T)
                      .sign(Signer.sponsor(key("other")), key("newbie")),
                  T + 10);
            }));
    out.add(
        new Case(
            "a sponsor changing the ledger's parameters",
            RejectionReason.SIGNER_NOT_AUTHORIZED,
            l ->
                event(
                    l,
                    Events.changeParameters(MemoryLedger.ledgerId(), MemoryLedger.parameters(), "x")
                        .eventId("params")
                        .issuedAt(T)
                        .sign(Signer.sponsor(key("acme"))),
                    T + 10)));
    out.add(
        new Case(
            "a suspended agent reporting",
            RejectionReason.SIGNER_NOT_ACTIVE,
            l -> {
              l.accept(T + 5, suspend("peer"));
              return event(l, report("peer", "bot", "i1"), T + 10);
            }));
    out.add(
        new Case(
            "a report on an agent nobody registered",
            RejectionReason.UNKNOWN_SUBJECT,
            l -> event(l, report("peer", "ghost", "i1"), T + 10)));
    out.add(
        new Case(
            "a registration under the id of another key",
            RejectionReason.ID_KEY_MISMATCH,
            l ->
                event(
                    l,
                    Cast.sign(
                        UnsignedEvent.newBuilder(
                                SigningBytes.unsigned(registerAgent("newbie", "acme", T)))
                            .setSubjectId(agentId("someone"))
                            .build(),
                        key("acme"),
                        key("newbie")),
                    T + 10)));
    out.add(
        new Case(
            "a second registration of an agent",
            RejectionReason.ALREADY_REGISTERED,
            l ->
                event(
                    l,
                    Events.registerAgent(key("bot").publicKey(), sponsorId("acme"))
                        .draft()
                        .eventId("reg-bot-again")
                        .issuedAt(T)
                        .sign(Signer.sponsor(key("acme")), key("bot")),
                    T + 10)));
    out.add(
        new Case(
            "a second genesis",
            RejectionReason.ALREADY_REGISTERED,
            l ->
                event(
                    l,
                    Events.genesis(LedgerDriver.LEDGER_KEY.publicKey(), MemoryLedger.parameters())
                        .eventId("genesis-2")
                        .issuedAt(T)
                        .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LedgerDriver.LEDGER_KEY),
                    T + 10)));
    out.add(
        new Case(
            "the same event twice",
            RejectionReason.DUPLICATE_EVENT,
            l -> {
              l.accept(T + 10, report("peer", "bot", "i1"));
              return event(l, report("peer", "bot", "i1"), T + 11);
            }));
    out.add(
        new Case(
            "the same interaction under a new event id",
            RejectionReason.DUPLICATE_EVENT,
            l -> {
              l.accept(T, registerSponsor("other", T), registerAgent("outsider", "other", T));
              l.accept(T + 10, report("outsider", "bot", "i1"));
              return event(
                  l,
                  Events.report(agentId("bot"), "i1", 80, Severity.LOW, "quality")
                      .eventId("rep-i1-copy")
                      .issuedAt(T)
                      .sign(Signer.agent(key("outsider"))),
                  T + 11);
            }));
    out.add(
        new Case(
            "an event issued more than the replay window ago",
            RejectionReason.STALE_EVENT,
            l -> event(l, report("peer", "bot", "i1"), T + 86_400_001L)));
    out.add(
        new Case(
            "an event issued beyond the future skew",
            RejectionReason.FUTURE_EVENT,
            l -> event(l, report("peer", "bot", "i1"), T - 300_001L)));
    out.add(
        new Case(
            "a report on a revoked agent",
            RejectionReason.SUBJECT_REVOKED,
            l -> {
              l.accept(
                  T + 5,
                  Events.revoke(agentId("bot"), "retired")
                      .eventId("rv")
                      .issuedAt(T)
                      .sign(Signer.sponsor(key("acme"))));
              return event(l, report("peer", "bot", "i1"), T + 10);
            }));
    out.add(
        new Case(
            "an agent reporting on itself",
            RejectionReason.SELF_REPORT,
            l -> event(l, report("bot", "bot", "i1"), T + 10)));
    out.add(
        new Case(
            "a rating above 100",
            RejectionReason.INVALID_FIELD,
            l ->
                event(
                    l,
                    Events.report(agentId("bot"), "i1", 101, Severity.LOW, "q")
                        .eventId("r101")
                        .issuedAt(T)
                        .sign(Signer.agent(key("peer"))),
                    T + 10)));
    out.add(
        new Case(
            "a record key other than the subject",
            RejectionReason.INVALID_FIELD,
            l -> {
              SignedEvent r = report("peer", "bot", "i1");
              return new Input.Event(l.source(T), agentId("peer"), r, null, T + 10);
            }));
    out.add(
        new Case(
            "a registration with a key of 31 bytes",
            RejectionReason.INVALID_FIELD,
            l -> {
              UnsignedEvent unsigned = SigningBytes.unsigned(registerAgent("newbie", "acme", T));
              AgentRegistered payload =
                  AgentRegistered.newBuilder((AgentRegistered) unsigned.getPayload())
                      .setPublicKey(ByteBuffer.wrap(new byte[31]))
                      .build();
              return event(
                  l,
                  Cast.sign(
                      UnsignedEvent.newBuilder(unsigned).setPayload(payload).build(),
                      key("acme"),
                      key("newbie")),
                  T + 10);
            }));
    out.add(
        new Case(
            "a parameter change that renames the ledger",
            RejectionReason.INVALID_FIELD,
            l ->
                event(
                    l,
                    Events.changeParameters(
                            MemoryLedger.ledgerId(),
                            dev.trustledger.avro.LedgerParameters.newBuilder(
                                    MemoryLedger.parameters())
                                .setLedgerName("other.ledger")
                                .build(),
                            "rename")
                        .eventId("params")
                        .issuedAt(T)
                        .sign(Signer.admin(LedgerDriver.ADMIN)),
                    T + 10)));
    out.add(
        new Case(
            "an agent of a revoked sponsor",
            RejectionReason.SPONSOR_NOT_ACTIVE,
            l -> {
              l.accept(
                  T + 5,
                  Events.revokeSponsor(sponsorId("acme"), "closed")
                      .eventId("rs")
                      .issuedAt(T)
                      .sign(Signer.admin(LedgerDriver.ADMIN)));
              return event(l, registerAgent("late", "acme", T), T + 10);
            }));
    out.add(
        new Case(
            "a sub-agent of a suspended parent",
            RejectionReason.PARENT_NOT_ACTIVE,
            l -> {
              l.accept(T + 5, suspend("bot"));
              return event(l, registerSubAgent("child", "bot", "acme", T), T + 10);
            }));
    out.add(
        new Case(
            "an expired agent reporting",
            RejectionReason.EXPIRED,
            l -> {
              l.accept(
                  T + 10,
                  Events.registerAgent(key("brief").publicKey(), sponsorId("acme"))
                      .expiresAt(T + 1_000)
                      .draft()
                      .eventId("reg-brief")
                      .issuedAt(T)
                      .sign(Signer.sponsor(key("acme")), key("brief")));
              return event(l, report("brief", "bot", "i1"), T + 2_000);
            }));
    out.add(
        new Case(
            "a report on an expired agent",
            RejectionReason.EXPIRED,
            l -> {
              l.accept(
                  T + 10,
                  Events.registerAgent(key("brief").publicKey(), sponsorId("acme"))
                      .expiresAt(T + 1_000)
                      .draft()
                      .eventId("reg-brief")
                      .issuedAt(T)
                      .sign(Signer.sponsor(key("acme")), key("brief")));
              return event(l, report("peer", "brief", "i1"), T + 2_000);
            }));
    out.add(
        new Case(
            "a registration expired on arrival",
            RejectionReason.EXPIRED,
            l ->
                event(
                    l,
                    Events.registerAgent(key("old").publicKey(), sponsorId("acme"))
                        .expiresAt(T)
                        .draft()
                        .eventId("reg-old")
                        .issuedAt(T)
                        .sign(Signer.sponsor(key("acme")), key("old")),
                    T + 10)));
    out.add(
        new Case(
            "a report signed with the key its signer rotated away from",
            RejectionReason.KEY_RETIRED,
            l -> {
              l.accept(
                  T + 5,
                  Events.rotateKey(agentId("peer"), key("peer-2").publicKey(), "routine")
                      .eventId("rot-peer")
                      .issuedAt(T)
                      .sign(Signer.agent(key("peer")), key("peer-2")));
              return event(l, report("peer", "bot", "i1"), T + 10);
            }));
    out.add(
        new Case(
            "a sub-agent given a capability its parent does not hold",
            RejectionReason.CAPABILITY_NOT_HELD,
            l ->
                event(
                    l,
                    Events.registerAgent(key("helper").publicKey(), sponsorId("acme"))
                        .parent(agentId("bot"))
                        .capabilities(List.of("payments:execute"))
                        .draft()
                        .eventId("reg-helper")
                        .issuedAt(T)
                        .sign(Signer.agent(key("bot")), key("helper")),
                    T + 10)));
    out.add(
        new Case(
            "a capability change giving a sub-agent what its parent lacks",
            RejectionReason.CAPABILITY_NOT_HELD,
            l -> {
              l.accept(T + 5, registerSubAgent("helper", "bot", "acme", T));
              return event(
                  l,
                  Events.changeCapabilities(agentId("helper"), List.of("payments:execute"), "more")
                      .eventId("cap-helper")
                      .issuedAt(T)
                      .sign(Signer.sponsor(key("acme"))),
                  T + 10);
            }));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inputIsRejectedAsData(Case c) {
    MemoryLedger ledger = base();
    Input input = c.input().apply(ledger);
    long position = ledger.head().getNextLedgerSeq();
    var principalsBefore = ledger.state.principals();
    var headBefore = ledger.head();

    Step step = ledger.step(input);

    Rejection r = ledger.rejection(step);
    assertThat(r.getReason()).as(r.getDetail()).isEqualTo(c.want());
    assertThat(r.getDetail()).isNotBlank();
    assertThat(r.getLedgerSeq()).isEqualTo(position);
    assertThat(step.entries()).isEmpty();
    assertThat(step.keys()).isEmpty();
    assertThat(ledger.state.principals()).isEqualTo(principalsBefore);
    assertThat(ledger.head()).isEqualTo(headBefore);
    if (input instanceof Input.Event e) {
      assertThat(r.getEvent()).isEqualTo(e.event());
      assertThat(r.getRecordKey()).isEqualTo(e.recordKey());
      assertThat(Buffers.toArray(r.getEventHash())).isEqualTo(EventHashes.of(e.event()));
    }
    COVERED.add(c.want());
  }

  @Test
  void stepThatFailsIsRejectedAsInternalErrorWhenTheOperatorChoosesSo() {
    MemoryLedger ledger = base();
    Input input = event(ledger, report("peer", "bot", "i1"), T + 10);
    Step step = ledger.sequencer.failed(ledger.state, input, "boom");
    assertThat(ledger.rejection(step).getReason()).isEqualTo(RejectionReason.INTERNAL_ERROR);
    assertThat(ledger.rejection(step).getDetail()).isEqualTo("boom");
    COVERED.add(RejectionReason.INTERNAL_ERROR);
  }

  @Test
  void duplicateNamesTheEntryThatHoldsTheEvent() {
    MemoryLedger ledger = base();
    Step first = ledger.publish(report("peer", "bot", "i1"), T + 10);
    Step again = ledger.publish(report("peer", "bot", "i1"), T + 20);
    Rejection r = ledger.rejection(again);
    assertThat(r.getDuplicateOf()).isEqualTo(Sequencer.ref(first.entries().get(0).entry()));
    assertThat(r.getDetail()).contains("at ledger_seq " + r.getDuplicateOf().getLedgerSeq());
  }

  @Test
  void duplicateIsForgottenAfterTheWindow() {
    MemoryLedger ledger = base();
    ledger.publish(report("peer", "bot", "i1"), T + 10);
    SignedEvent later =
        Events.report(agentId("bot"), "i1", 80, Severity.LOW, "quality")
            .eventId("rep-i1")
            .issuedAt(T + 3 * 86_400_000L)
            .sign(Signer.agent(key("peer")));
    assertThat(ledger.publish(later, T + 3 * 86_400_000L).accepted()).isTrue();
  }

  @Test
  void theSignerWinsOverTheSubject() {
    // An unknown signer reporting on an unknown subject: the signer is looked up first.
    MemoryLedger ledger = base();
    Rejection r = ledger.rejection(ledger.publish(report("stranger", "ghost", "i1"), T + 10));
    assertThat(r.getReason()).isEqualTo(RejectionReason.UNKNOWN_SIGNER);
  }

  @Test
  void aBadSignatureWinsOverAStaleTime() {
    MemoryLedger ledger = base();
    SignedEvent forged =
        SignedEvent.newBuilder(report("peer", "bot", "i1"))
            .setSignature(ByteBuffer.wrap(new byte[64]))
            .build();
    Rejection r = ledger.rejection(ledger.publish(forged, T + 10 * 86_400_000L));
    assertThat(r.getReason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @AfterAll
  static void everyReasonIsCovered() {
    assertThat(COVERED).containsExactlyInAnyOrder(RejectionReason.values());
  }
}
