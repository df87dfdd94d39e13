package dev.trustledger.ledger.topology;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.Report;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import dev.trustledger.trust.Weights;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChainAndTrustTest {
  private static final long T = 1_767_225_600_000L;
  private LedgerDriver ledger;

  @BeforeEach
  void setUp() {
    ledger = new LedgerDriver();
    ledger.publish(registerSponsor("acme", T), T);
    ledger.publish(registerSponsor("globex", T), T);
    ledger.publish(registerAgent("bot", "acme", T), T + 1);
    ledger.publish(registerAgent("peer", "acme", T), T + 2);
    ledger.publish(registerAgent("outsider", "globex", T), T + 3);
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private SignedEvent report(
      String reporter, Signer signer, String subject, int rating, String id) {
    return Events.report(agentId(subject), id, rating, Severity.MEDIUM, "quality")
        .eventId(id)
        .issuedAt(T)
        .sign(signer);
  }

  @Test
  void registrationStartsAChainAtSeqZeroWithTheFactsUsed() {
    LedgerEntry first = ledger.chain(agentId("bot")).get(0);
    assertThat(first.getSeq()).isZero();
    assertThat(Buffers.toArray(first.getPrevHash())).isEqualTo(new byte[32]);
    assertThat(first.getLedgerTime()).isEqualTo(T + 1);
    assertThat(Buffers.toArray(first.getFacts().getSignerPublicKey()))
        .isEqualTo(key("acme").publicKey().raw());
    assertThat(first.getFacts().getSignerKind()).isEqualTo(PrincipalKind.SPONSOR);
    assertThat(first.getFacts().getStatusAfter()).isEqualTo(PrincipalStatus.ACTIVE);
    assertThat(EntryHash.verify(first)).isTrue();
  }

  @Test
  void chainLinksEachEntryToThePreviousOne() {
    Signer acme = Signer.sponsor(key("acme"));
    ledger.publish(report("outsider", Signer.agent(key("outsider")), "bot", 90, "r1"), T + 10);
    ledger.publish(
        Events.suspend(agentId("bot"), "check").eventId("s1").issuedAt(T).sign(acme), T + 11);
    ledger.publish(
        Events.reinstate(agentId("bot"), "ok").eventId("u1").issuedAt(T).sign(acme), T + 12);
    List<LedgerEntry> chain = ledger.chain(agentId("bot"));
    assertThat(chain).extracting(LedgerEntry::getSeq).containsExactly(0L, 1L, 2L, 3L);
    for (int i = 1; i < chain.size(); i++) {
      assertThat(chain.get(i).getPrevHash()).isEqualTo(chain.get(i - 1).getEntryHash());
      assertThat(EntryHash.verify(chain.get(i))).isTrue();
    }
    assertThat(chain.get(2).getFacts().getStatusAfter()).isEqualTo(PrincipalStatus.SUSPENDED);
    assertThat(chain.get(3).getFacts().getStatusAfter()).isEqualTo(PrincipalStatus.ACTIVE);
  }

  @Test
  void adminReportWeighsOne() {
    ledger.publish(report("admin", Signer.admin(LedgerDriver.ADMIN), "bot", 20, "a1"), T + 10);
    assertThat(ledger.lastEntry().getFacts().getPositiveWeight()).isEqualTo(1.0);
    assertThat(ledger.lastEntry().getFacts().getNegativeWeight()).isEqualTo(1.0);
  }

  @Test
  void fellowAgentOfTheSameSponsorCannotVouch() {
    ledger.publish(report("peer", Signer.agent(key("peer")), "bot", 100, "p1"), T + 10);
    LedgerEntry entry = ledger.lastEntry();
    assertThat(entry.getFacts().getPositiveWeight()).isZero();
    assertThat(entry.getFacts().getNegativeWeight()).isEqualTo(1.0);
    assertThat(entry.getFacts().getTrustAfter().getPositive()).isZero();
  }

  @Test
  void sponsorCannotVouchForItsOwnAgent() {
    ledger.publish(report("acme", Signer.sponsor(key("acme")), "bot", 100, "s1"), T + 10);
    assertThat(ledger.lastEntry().getFacts().getPositiveWeight()).isZero();
  }

  @Test
  void unrelatedAgentWeighsItsOwnTrust() {
    ledger.publish(report("outsider", Signer.agent(key("outsider")), "bot", 100, "o1"), T + 10);
    // A new agent's trust is the prior 0.5 (decayed over 7 ms, negligible).
    assertThat(ledger.lastEntry().getFacts().getPositiveWeight()).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void trustStoreHoldsTheFoldOfTheRecordedReports() {
    ledger.publish(report("outsider", Signer.agent(key("outsider")), "bot", 100, "o1"), T + 10);
    ledger.publish(report("admin", Signer.admin(LedgerDriver.ADMIN), "bot", 0, "a1"), T + 20);
    ledger.publish(report("peer", Signer.agent(key("peer")), "bot", 30, "p1"), T + 30);

    TrustParams params = ledger.config().trustParams();
    Evidence expected = Evidence.registered(T + 1);
    for (LedgerEntry e : ledger.chain(agentId("bot"))) {
      if (e.getFacts().getPositiveWeight() != null) {
        SignedEvent event = (SignedEvent) e.getEvent();
        var payload = (dev.trustledger.avro.BehaviourReported) event.getPayload();
        Evidence before = expected;
        expected =
            TrustModel.apply(
                expected,
                new Report(
                    e.getLedgerTime(),
                    payload.getRating(),
                    payload.getSeverity(),
                    new Weights(
                        e.getFacts().getPositiveWeight(), e.getFacts().getNegativeWeight())),
                params);
        if (event.getSignerId().equals(agentId("peer"))) {
          // An agent of the same sponsor has a conflict of interest: not the bot's activity.
          expected = expected.keepingActivityOf(before);
        }
      }
    }
    assertThat(Evidence.of(ledger.principal(agentId("bot")).getTrust())).isEqualTo(expected);
    assertThat(expected.positiveReports()).isEqualTo(1);
    assertThat(expected.negativeReports()).isEqualTo(2);
  }

  @Test
  void signingAReportIsActivityOfTheReporter() {
    ledger.publish(report("outsider", Signer.agent(key("outsider")), "bot", 100, "o1"), T + 1000);
    assertThat(ledger.principal(agentId("outsider")).getTrust().getActivityTime())
        .isEqualTo(T + 1000);
  }

  @Test
  void sponsorChainRecordsItsRegistration() {
    List<LedgerEntry> chain = ledger.chain(sponsorId("acme"));
    assertThat(chain).hasSize(1);
    assertThat(chain.get(0).getFacts().getSignerKind()).isEqualTo(PrincipalKind.ADMIN);
  }
}
