package dev.trustledger.ledger.topology;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.registerSubAgent;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerDriver;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revocations cascade to sub-agents and to a sponsor's agents as derived entries. */
class CascadeTest {
  private static final long T = 1_767_225_600_000L;
  private LedgerDriver ledger;

  @BeforeEach
  void setUp() {
    ledger = new LedgerDriver();
    ledger.publish(registerSponsor("acme", T), T);
    ledger.publish(registerAgent("root", "acme", T), T + 1);
    ledger.publish(registerSubAgent("child", "root", "acme", T), T + 2);
    ledger.publish(registerSubAgent("grandchild", "child", "acme", T), T + 3);
    ledger.publish(registerAgent("sibling", "acme", T), T + 4);
    assertThat(ledger.rejections()).isEmpty();
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private PrincipalStatus status(String agent) {
    return ledger.principal(agentId(agent)).getStatus();
  }

  @Test
  void revokingAnAgentRevokesEverySubAgentBelowIt() {
    ledger.publish(
        Events.revoke(agentId("root"), "compromised")
            .eventId("rv")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))),
        T + 10);
    LedgerEntry cause = ledger.chain(agentId("root")).get(1);
    for (String agent : List.of("child", "grandchild")) {
      LedgerEntry derived = ledger.chain(agentId(agent)).get(1);
      assertThat(derived.getEvent()).isInstanceOf(DerivedEvent.class);
      DerivedEvent event = (DerivedEvent) derived.getEvent();
      assertThat(event.getCauseHash()).isEqualTo(cause.getEntryHash());
      assertThat(event.getCauseSubjectId()).isEqualTo(agentId("root"));
      assertThat(derived.getFacts().getStatusAfter()).isEqualTo(PrincipalStatus.REVOKED);
      assertThat(status(agent)).isEqualTo(PrincipalStatus.REVOKED);
    }
    assertThat(status("sibling")).isEqualTo(PrincipalStatus.ACTIVE);
    assertThat(ledger.everyInputAccountedFor()).isTrue();
  }

  @Test
  void parentAgentMayRevokeItsSubAgent() {
    ledger.publish(
        Events.revoke(agentId("grandchild"), "done")
            .eventId("rv")
            .issuedAt(T)
            .sign(Signer.agent(key("root"))),
        T + 10);
    assertThat(ledger.rejections()).isEmpty();
    assertThat(status("grandchild")).isEqualTo(PrincipalStatus.REVOKED);
    assertThat(status("child")).isEqualTo(PrincipalStatus.ACTIVE);
  }

  @Test
  void agentMayRevokeItselfButSubAgentMayNotRevokeItsParent() {
    ledger.publish(
        Events.revoke(agentId("root"), "coup")
            .eventId("rv1")
            .issuedAt(T)
            .sign(Signer.agent(key("child"))),
        T + 10);
    assertThat(ledger.lastRejection().getReason()).isEqualTo(RejectionReason.SIGNER_NOT_AUTHORIZED);
    ledger.publish(
        Events.revoke(agentId("child"), "leaving")
            .eventId("rv2")
            .issuedAt(T)
            .sign(Signer.agent(key("child"))),
        T + 11);
    assertThat(status("child")).isEqualTo(PrincipalStatus.REVOKED);
    assertThat(status("grandchild")).isEqualTo(PrincipalStatus.REVOKED);
  }

  @Test
  void revokingASponsorRevokesEveryAgentItAnswersFor() {
    ledger.publish(
        Events.revokeSponsor(sponsorId("acme"), "offboarded")
            .eventId("rs")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)),
        T + 10);
    for (String agent : List.of("root", "child", "grandchild", "sibling")) {
      assertThat(status(agent)).as(agent).isEqualTo(PrincipalStatus.REVOKED);
      LedgerEntry derived = ledger.chain(agentId(agent)).get(1);
      assertThat(((DerivedEvent) derived.getEvent()).getCauseSubjectId())
          .isEqualTo(sponsorId("acme"));
    }
    assertThat(ledger.chain(sponsorId("acme")).get(1).getFacts().getStatusAfter())
        .isEqualTo(PrincipalStatus.REVOKED);
  }

  @Test
  void childRegisteredJustAfterItsParentsRevocationNeverBecomesActive() {
    // Both signed at the same moment; the revocation reaches the ledger first.
    var revoke =
        Events.revoke(agentId("root"), "compromised")
            .eventId("rv")
            .issuedAt(T + 5)
            .sign(Signer.sponsor(key("acme")));
    var lateChild = registerSubAgent("late", "root", "acme", T + 5);
    ledger.publish(revoke, T + 10);
    ledger.publish(lateChild, T + 10);
    assertThat(ledger.lastRejection().getReason()).isEqualTo(RejectionReason.PARENT_NOT_ACTIVE);
  }

  @Test
  void childRegisteredJustBeforeItsParentsRevocationEndsRevoked() {
    var lateChild = registerSubAgent("late", "root", "acme", T + 5);
    var revoke =
        Events.revoke(agentId("root"), "compromised")
            .eventId("rv")
            .issuedAt(T + 5)
            .sign(Signer.sponsor(key("acme")));
    ledger.publish(lateChild, T + 10);
    ledger.publish(revoke, T + 10);
    assertThat(status("late")).isEqualTo(PrincipalStatus.REVOKED);
    assertThat(ledger.chain(agentId("late"))).hasSize(2);
  }

  @Test
  void nonCascadingRevocationLeavesSubAgentsActive() {
    ledger.publish(
        Events.revoke(agentId("root"), "rotate", false)
            .eventId("rv")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))),
        T + 10);
    assertThat(status("root")).isEqualTo(PrincipalStatus.REVOKED);
    assertThat(status("child")).isEqualTo(PrincipalStatus.ACTIVE);
  }
}
