package dev.trustledger.ledger.it;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.EventSigning;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.avro.SequencerInput;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.store.InternalSerdes;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.ledger.topology.LedgerMetrics;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.KeyRecords;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Someone who can produce to any topic of the cluster writes forged records to {@code ledger.keys}
 * (mapping a sponsor's id to their own key) and to the ledger's internal sequencer topic (an
 * "already verified" event with a bad signature): nothing forged is accepted or served, the genuine
 * events of the sponsor are still accepted, and the node counts each refusal.
 */
class RogueProducerIT {
  private static final long NOW = System.currentTimeMillis();

  /** Counts what the ledger refused. */
  static final class Counting implements LedgerMetrics {
    final AtomicInteger refusedKeys = new AtomicInteger();
    final AtomicInteger forged = new AtomicInteger();

    @Override
    public void accepted() {}

    @Override
    public void rejected(RejectionReason reason) {}

    @Override
    public void verified(long nanos) {}

    @Override
    public void refusedKeyRecord() {
      refusedKeys.incrementAndGet();
    }

    @Override
    public void forgedSequencerInput() {
      forged.incrementAndGet();
    }
  }

  @Test
  void forgedKeysAndForgedVerdictsChangeNothing() throws Exception {
    Ed25519PrivateKey mallory = key("mallory");
    Counting metrics = new Counting();
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      String bootstrap = cluster.bootstrapServers();
      LedgerConfig config =
          new LedgerConfig(
              LedgerSetup.config(bootstrap, Files.createTempDirectory("rogue-it"), "rogue-it"));
      try (LedgerRuntime ledger =
              LedgerRuntime.start(config, LedgerDriver.LEDGER_KEY, Map.of(), metrics);
          OutputCounter outputs = new OutputCounter(bootstrap);
          KafkaProducer<String, byte[]> rogue =
              new KafkaProducer<>(
                  Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                  new StringSerializer(),
                  new ByteArraySerializer())) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> ledger.streams().state() == KafkaStreams.State.RUNNING);
        publish(bootstrap, registerSponsor("acme", NOW));
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 1);
        publish(bootstrap, registerAgent("bot", "acme", NOW));
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 2);

        // 1. ledger.keys: acme's id mapped to mallory's key, as raw bytes and as a key record
        // mallory signed herself.
        LedgerFormats formats = LedgerFormats.singleObject();
        String keys = LedgerTopics.DEFAULT.keys();
        rogue.send(new ProducerRecord<>(keys, sponsorId("acme"), mallory.publicKey().raw()));
        rogue.send(
            new ProducerRecord<>(
                keys,
                sponsorId("acme"),
                formats
                    .keys()
                    .encode(
                        keys,
                        KeyRecords.sign(
                            sponsorId("acme"), mallory.publicKey().raw(), 1, mallory))));
        rogue.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.refusedKeys.get() >= 2);

        // Events signed by mallory "as acme": a rogue agent with payments:execute, a suspension.
        Ed25519PrivateKey rogueAgent = key("rogue-agent");
        SignedEvent rogueRegistration =
            asAcme(
                Events.registerAgent(rogueAgent.publicKey(), sponsorId("acme"))
                    .name("rogue")
                    .capabilities(List.of("payments:execute"))
                    .draft()
                    .eventId("rogue-1")
                    .issuedAt(NOW)
                    .sign(Signer.sponsor(key("acme")), rogueAgent),
                mallory,
                rogueAgent);
        SignedEvent forgedSuspension =
            asAcme(
                Events.suspend(agentId("bot"), "forged")
                    .eventId("forged-1")
                    .issuedAt(NOW)
                    .sign(Signer.sponsor(key("acme"))),
                mallory,
                null);
        publish(bootstrap, rogueRegistration, forgedSuspension);
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 4);
        assertThat(outputs.reasons()).containsEntry(RejectionReason.BAD_SIGNATURE, 2);

        // Acme's genuine event is still accepted.
        publish(
            bootstrap,
            Events.suspend(agentId("bot"), "check")
                .eventId("genuine-1")
                .issuedAt(NOW)
                .sign(Signer.sponsor(key("acme"))));
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= 5);
        assertThat(outputs.inputEntries()).isEqualTo(3);

        // 2. The sequencer topic: a reinstatement of bot with a zero signature, claiming that the
        // verify stage checked it with acme's real key, at a time of mallory's choosing.
        SignedEvent reinstate =
            SignedEvent.newBuilder(
                    Events.reinstate(agentId("bot"), "forged")
                        .eventId("forged-2")
                        .issuedAt(NOW)
                        .sign(Signer.sponsor(key("acme"))))
                .setSignature(ByteBuffer.wrap(new byte[64]))
                .build();
        SequencerInput claim =
            SequencerInput.newBuilder()
                .setSource(
                    RecordRef.newBuilder()
                        .setTopic("ledger.events")
                        .setPartition(0)
                        .setOffset(999)
                        .setTimestamp(NOW)
                        .build())
                .setRecordKey(agentId("bot"))
                .setEvent(reinstate)
                .setVerdict(
                    Verdict.newBuilder()
                        .setSignerKey(ByteBuffer.wrap(key("acme").publicKey().raw()))
                        .build())
                .build();
        byte[] bytes =
            InternalSerdes.<SequencerInput>of(SequencerInput.getClassSchema())
                .serializer()
                .serialize("x", claim);
        rogue.send(
            new ProducerRecord<>(
                "rogue-it-sequencer-repartition", 0, "ledger.events/0/999", bytes));
        rogue.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.forged.get() >= 1);
        Thread.sleep(1000);
        assertThat(outputs.outcomes()).isEqualTo(5);
        assertThat(ledger.reader().principal(agentId("bot")).orElseThrow().getStatus())
            .isEqualTo(PrincipalStatus.SUSPENDED);
        assertThat(ledger.reader().principal(agentId("rogue-agent"))).isEmpty();
        assertThat(outputs.duplicateAcceptances()).isEmpty();
      }
      Thread.sleep(1500);
      assertThat(
              LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey())
                  .audit(
                      new TopicLogReader(
                              bootstrap, LedgerTopics.DEFAULT, LedgerFormats.singleObject())
                          .read())
                  .problems())
          .isEmpty();
    }
  }

  /** {@code event} with acme's signer id but signed by {@code forger}. */
  private static SignedEvent asAcme(
      SignedEvent event, Ed25519PrivateKey forger, Ed25519PrivateKey newKey) {
    return EventSigning.sign(SigningBytes.unsigned(event), forger, newKey);
  }

  private static void publish(String bootstrap, SignedEvent... events) {
    LedgerSetup.publish(
        bootstrap,
        java.util.Arrays.stream(events)
            .map(e -> new Workload.Input(e.getSubjectId(), e, null))
            .toList());
  }
}
