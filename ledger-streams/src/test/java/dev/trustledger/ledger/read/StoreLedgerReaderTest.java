package dev.trustledger.ledger.read;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.DecisionStatus;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.topic.LedgerFormats;
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
            },
            LedgerFormats.singleObject().checkpoints());
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
    assertThat(reader.principal(agentId("bot")).orElseThrow().getChainSeq()).isEqualTo(5L);
  }

  @Test
  void principalsAndSponsorsAgentsAreReadable() {
    assertThat(reader.principal(sponsorId("acme"))).isPresent();
    assertThat(reader.children(sponsorId("acme"), null, 10)).containsExactly(agentId("bot"));
    assertThat(reader.children(sponsorId("acme"), agentId("bot"), 10)).isEmpty();
    assertThat(reader.principal(agentId("bot")).orElseThrow().getTrust().getPositiveReports())
        .isEqualTo(5);
    assertThat(reader.head().orElseThrow().getParameters().getLedgerName())
        .isEqualTo("test.ledger");
  }

  @Test
  void checkpointsAreTheLatestOfEachPartition() {
    ledger.advanceWallClock(11_000);
    assertThat(reader.checkpoints())
        .singleElement()
        .satisfies(c -> assertThat(c.getSize()).isEqualTo(8));
  }

  @Test
  void decisionsTellAcceptedFromRejectedAndNameTheirEvent() {
    assertThat(reader.decisions(agentId("bot"), "r2"))
        .singleElement()
        .satisfies(d -> assertThat(d.getStatus()).isEqualTo(DecisionStatus.ACCEPTED));
    SignedEvent self =
        Events.report(agentId("bot"), "x", 90, Severity.LOW, "q")
            .eventId("self")
            .issuedAt(T)
            .sign(Signer.agent(key("bot")));
    ledger.publish(self, T + 100);
    assertThat(reader.decisions(agentId("bot"), "self"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo(RejectionReason.SELF_REPORT);
              assertThat(Buffers.toArray(d.getEventHash())).isEqualTo(EventHashes.of(self));
            });
    assertThat(reader.decisions(agentId("bot"), "never")).isEmpty();
  }

  @Test
  void anotherEventUnderAnAcceptedIdGetsItsOwnDecision() {
    SignedEvent other =
        Events.report(agentId("bot"), "i99", 10, Severity.LOW, "q")
            .eventId("r2")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN));
    ledger.publish(other, T + 100);
    assertThat(reader.decisions(agentId("bot"), "r2"))
        .extracting(Decision::getStatus)
        .containsExactly(DecisionStatus.ACCEPTED, DecisionStatus.REJECTED);
    assertThat(reader.decisions(agentId("bot"), "r2").get(1).getEventHash())
        .isEqualTo(java.nio.ByteBuffer.wrap(EventHashes.of(other)));
  }
}
