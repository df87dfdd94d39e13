package dev.trustledger.bench;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How long decisions stall while a second node joins the ledger's group and then leaves it
 * gracefully: a steady stream of reports (50/s) against one node, the decision latency of each
 * (publish to its entry on ledger.entries, committed), by phase.
 *
 * <pre>
 * ./mvnw -pl query-api -am -Phand-over test-compile exec:exec
 * </pre>
 */
public final class HandOver {
  private static final Map<String, Object> ONE_THREAD =
      Map.of(LedgerConfig.STREAM_THREADS_CONFIG, 1);

  private HandOver() {}

  record Phase(String name, long startNanos) {}

  public static void main(String[] args) throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      LedgerNode first = BenchNodes.start(cluster, "hand-over", "a", ONE_THREAD);
      Random random = new Random(3);
      Ed25519PrivateKey sponsor = BenchNodes.key(random);
      Ed25519PrivateKey agent = BenchNodes.key(random);
      Ed25519PrivateKey reporter = BenchNodes.key(random);
      String sponsorId = Signer.sponsor(sponsor).id();
      Map<String, Long> published = new ConcurrentHashMap<>();
      List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      try (LedgerPublisher publisher =
          LedgerPublisher.create(
              cluster.bootstrapServers(), SingleObjectFormat.of(SignedEvent.getClassSchema()))) {
        long now = System.currentTimeMillis();
        publisher
            .publish(
                Events.registerSponsor(sponsor.publicKey(), "Bench", "ops@bench.example")
                    .issuedAt(now)
                    .sign(Signer.admin(LedgerDriver.ADMIN), sponsor))
            .get();
        Thread.sleep(1500);
        for (Ed25519PrivateKey k : List.of(agent, reporter)) {
          publisher
              .publish(
                  Events.registerAgent(k.publicKey(), sponsorId)
                      .name("a")
                      .draft()
                      .issuedAt(now)
                      .sign(Signer.sponsor(sponsor), k))
              .get();
        }
        Thread.sleep(1500);
        String agentId = Signer.agent(agent).id();

        Thread reader =
            new Thread(
                () -> {
                  Properties p = new Properties();
                  p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
                  p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                  p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
                  p.put(ConsumerConfig.GROUP_ID_CONFIG, "hand-over-bench");
                  try (KafkaConsumer<String, byte[]> c =
                      new KafkaConsumer<>(
                          p, new StringDeserializer(), new ByteArrayDeserializer())) {
                    c.subscribe(List.of("ledger.entries"));
                    LedgerFormats formats = LedgerFormats.singleObject();
                    while (running.get()) {
                      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        long at = System.nanoTime();
                        LedgerEntry e;
                        try {
                          e = formats.entries().decode(r.topic(), r.value());
                        } catch (dev.trustledger.serde.SerdeException bad) {
                          continue;
                        }
                        if (e.getEvent() instanceof SignedEvent s) {
                          Long sent = published.remove(s.getEventId());
                          if (sent != null) {
                            latencies.add(new long[] {sent, at - sent});
                          }
                        }
                      }
                    }
                  }
                },
                "bench-entries");
        reader.start();
        Thread.sleep(3000);

        List<Phase> phases = new ArrayList<>();
        Thread load =
            new Thread(
                () -> {
                  int i = 0;
                  while (running.get()) {
                    String interaction = "i-" + i++;
                    SignedEvent report =
                        Events.report(agentId, interaction, 80, Severity.LOW, "quality")
                            .issuedAt(System.currentTimeMillis())
                            .sign(Signer.agent(reporter));
                    published.put(report.getEventId(), System.nanoTime());
                    publisher.publish(report);
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "bench-load");
        load.start();
        phases.add(new Phase("one node, steady", System.nanoTime()));
        Thread.sleep(15_000);
        phases.add(new Phase("second node joins", System.nanoTime()));
        long joinStart = System.nanoTime();
        LedgerNode second = BenchNodes.start(cluster, "hand-over", "b", ONE_THREAD);
        System.out.printf(
            "second node ready after %.1f s%n", (System.nanoTime() - joinStart) / 1e9);
        Thread.sleep(20_000);
        phases.add(new Phase("second node leaves (close, leaving the group)", System.nanoTime()));
        second.close();
        Thread.sleep(20_000);
        phases.add(new Phase("end", System.nanoTime()));
        running.set(false);
        load.join();
        reader.join();
        first.close();

        System.out.println("decision latency by phase (publish to committed entry), ms:");
        System.out.println("| phase | decisions | p50 | p99 | max |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int p = 0; p + 1 < phases.size(); p++) {
          long from = phases.get(p).startNanos();
          long to = phases.get(p + 1).startNanos();
          List<Long> in = new ArrayList<>();
          synchronized (latencies) {
            for (long[] l : latencies) {
              if (l[0] >= from && l[0] < to) {
                in.add(l[1]);
              }
            }
          }
          Collections.sort(in);
          if (in.isEmpty()) {
            System.out.printf("| %s | 0 | | | |%n", phases.get(p).name());
            continue;
          }
          System.out.printf(
              "| %s | %d | %.0f | %.0f | %.0f |%n",
              phases.get(p).name(),
              in.size(),
              in.get(in.size() / 2) / 1e6,
              in.get((int) Math.ceil(in.size() * 0.99) - 1) / 1e6,
              in.get(in.size() - 1) / 1e6);
        }
        System.out.printf("undecided at the end: %d%n", published.size());
      }
    }
  }
}
