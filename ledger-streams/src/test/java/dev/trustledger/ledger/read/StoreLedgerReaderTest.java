package dev.trustledger.ledger.read;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.OutcomeStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreLedgerReaderTest {
  private static final long T = 1_767_225_600_000L;
  private LedgerDriver ledger;
  private LedgerReader reader;

  @BeforeEach
  void setUp() {
    ledger = new LedgerDriver();
    reader =
        new StoreLedgerReader(
            new StoreLedgerReader.Stores() {
              @Override
              @SuppressWarnings("unchecked")
              public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                return (ReadOnlyKeyValueStore<K, V>) ledger.driver().getKeyValueStore(name);
              }

              @Override
              @SuppressWarnings("unchecked")
              public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                return (ReadOnlyWindowStore<K, V>) ledger.driver().getWindowStore(name);
              }
            });
    ledger.publish(registerSponsor("acme", T), T);
    ledger.publish(registerAgent("bot", "acme", T), T + 1);
    for (int i = 0; i < 5; i++) {
      ledger.publish(
          Events.report(agentId("bot"), "i" + i, 90, Severity.LOW, "q")
              .eventId("r" + i)
              .issuedAt(T)
              .sign(Signer.admin(LedgerDriver.ADMIN)),
          T + 10 + i);
    }
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void entriesArePagedInSeqOrder() {
    assertThat(reader.entries(agentId("bot"), 0, 3))
        .extracting(LedgerEntry::getSeq)
        .containsExactly(0L, 1L, 2L);
    assertThat(reader.entries(agentId("bot"), 4, 10))
        .extracting(LedgerEntry::getSeq)
        .containsExactly(4L, 5L);
    assertThat(reader.entries(agentId("bot"), 6, 10)).isEmpty();
    assertThat(reader.head(agentId("bot")).orElseThrow().getSeq()).isEqualTo(5L);
  }

  @Test
  void principalsAndSponsorsAgentsAreReadable() {
    assertThat(reader.principal(sponsorId("acme"))).isPresent();
    assertThat(reader.children(sponsorId("acme"), null, 10)).containsExactly(agentId("bot"));
    assertThat(reader.children(sponsorId("acme"), agentId("bot"), 10)).isEmpty();
    assertThat(reader.evidence(agentId("bot")).orElseThrow().positiveReports()).isEqualTo(5);
  }

  @Test
  void outcomesTellAcceptedFromRejected() {
    assertThat(reader.outcome(agentId("bot"), "r2").orElseThrow().getStatus())
        .isEqualTo(OutcomeStatus.ACCEPTED);
    ledger.publish(
        Events.report(agentId("bot"), "x", 90, Severity.LOW, "q")
            .eventId("self")
            .issuedAt(T)
            .sign(Signer.agent(key("bot"))),
        T + 100);
    assertThat(reader.outcome(agentId("bot"), "self").orElseThrow().getReason())
        .isEqualTo(RejectionReason.SELF_REPORT);
    assertThat(reader.outcome(agentId("bot"), "never")).isEmpty();
  }
}
