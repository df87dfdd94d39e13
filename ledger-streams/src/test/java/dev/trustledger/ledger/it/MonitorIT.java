package dev.trustledger.ledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.ledger.audit.LogMonitor;
import dev.trustledger.ledger.audit.Problem;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.Workload;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The monitor on a real broker: it verifies checkpoints as the ledger writes them, resumes from its
 * saved state after a restart without replaying from zero, and stops at a forged checkpoint.
 */
class MonitorIT {
  private static final long NOW = System.currentTimeMillis();

  @Test
  void followsTheLogResumesAfterARestartAndStopsAtAForgedCheckpoint() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      String bootstrap = cluster.bootstrapServers();
      Path state = Files.createTempDirectory("monitor-it");
      Path monitorState = Files.createTempDirectory("monitor-it-state");
      LedgerConfig config = new LedgerConfig(LedgerSetup.config(bootstrap, state, "monitor-it"));
      Workload workload = new Workload(7, NOW, LedgerDriver.ADMIN);
      try (LedgerRuntime ledger = LedgerSetup.startRuntime(config);
          OutputCounter outputs = new OutputCounter(bootstrap)) {
        // Registrations are decided before the reports about them (inputs in different
        // partitions reach the ledger in any order), so the tree's size below is known.
        List<Workload.Input> first = new ArrayList<>();
        for (List<Workload.Input> batch :
            List.of(workload.sponsors(2), workload.agents(20), workload.activity(600, 10))) {
          first.addAll(batch);
          LedgerSetup.publish(bootstrap, batch);
          await().atMost(Duration.ofSeconds(60)).until(() -> outputs.outcomes() >= first.size());
        }

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> checkpointSize(bootstrap) == outputs.entries());

        // First run: follows until it has verified the tree the ledger checkpointed.
        long size1 = followUntilIdle(bootstrap, monitorState, null);
        assertThat(size1).isEqualTo(checkpointSize(bootstrap)).isGreaterThan(500);

        List<Workload.Input> second = new ArrayList<>(workload.activity(400, 10));
        LedgerSetup.publish(bootstrap, second);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> outputs.outcomes() >= first.size() + second.size());

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> checkpointSize(bootstrap) == outputs.entries());

        // Second run: starts where the first stopped, verifies only what is new.
        LogMonitor resumed = monitor(bootstrap, monitorState);
        assertThat(resumed.verifiedSize()).isEqualTo(size1);
        long size2 = followUntilIdle(bootstrap, monitorState, null);
        assertThat(size2).isEqualTo(checkpointSize(bootstrap)).isGreaterThan(size1 + 300);

        // A checkpoint signed with the ledger key over another root, at a size to come.
        Checkpoint real =
            LedgerFormats.singleObject()
                .checkpoints()
                .decode("ledger.checkpoints", lastCheckpoint(bootstrap));
        assertThat(real.getSize()).isEqualTo(size2);
        CheckpointBody forgedBody =
            new CheckpointBody(real.getOrigin(), real.getSize() + 1, new byte[32]);
        Checkpoint forged =
            Checkpoint.newBuilder(real)
                .setSize(forgedBody.size())
                .setRootHash(ByteBuffer.wrap(forgedBody.rootHash()))
                .setNote(
                    new NoteKey(real.getOrigin(), LedgerDriver.LEDGER_KEY.publicKey())
                        .sign(forgedBody, LedgerDriver.LEDGER_KEY))
                .build();
        try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(LedgerPublisher.producerConfig(bootstrap, Map.of()))) {
          producer
              .send(
                  new ProducerRecord<>(
                      "ledger.checkpoints",
                      "0",
                      LedgerFormats.singleObject()
                          .checkpoints()
                          .encode("ledger.checkpoints", forged)))
              .get();
        }
        LedgerSetup.publish(bootstrap, workload.activity(5, 0));
        Optional<Problem>[] found = new Optional[1];
        followUntilIdle(bootstrap, monitorState, found);
        assertThat(found[0]).isPresent();
        assertThat(found[0].get().kind())
            .isIn(Problem.Kind.CHECKPOINT_ROOT, Problem.Kind.LEDGER_SEQ);
      }
    }
  }

  private static LogMonitor monitor(String bootstrap, Path dir) throws Exception {
    return new LogMonitor(
        LedgerDriver.LEDGER_KEY.publicKey(),
        dir,
        Map.of("bootstrap.servers", bootstrap),
        LedgerTopics.DEFAULT,
        LedgerFormats.singleObject());
  }

  /**
   * Runs a monitor until it has verified nothing new for 4 s (or found a problem); returns the size
   * it verified.
   */
  private static long followUntilIdle(String bootstrap, Path dir, Optional<Problem>[] problem)
      throws Exception {
    LogMonitor monitor = monitor(bootstrap, dir);
    AtomicLong size = new AtomicLong(monitor.verifiedSize());
    AtomicLong lastChange = new AtomicLong(System.nanoTime());
    AtomicBoolean problemSeen = new AtomicBoolean();
    CompletableFuture<Optional<Problem>> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return monitor.follow(
                    new LogMonitor.Listener() {
                      @Override
                      public void verified(long treeSize, long entries, long createdAt) {
                        size.set(treeSize);
                        lastChange.set(System.nanoTime());
                      }

                      @Override
                      public void problem(Problem p) {
                        problemSeen.set(true);
                      }
                    },
                    () ->
                        System.nanoTime() - lastChange.get() > Duration.ofSeconds(4).toNanos()
                            && size.get() > 0);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Optional<Problem> result = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
    if (problem != null) {
      problem[0] = result;
    } else {
      assertThat(result).as("no problem in an honest log").isEmpty();
    }
    return size.get();
  }

  private static long checkpointSize(String bootstrap) throws Exception {
    byte[] last = lastCheckpoint(bootstrap);
    return last == null
        ? -1
        : LedgerFormats.singleObject().checkpoints().decode("ledger.checkpoints", last).getSize();
  }

  /** The newest record of ledger.checkpoints, or null when it has none. */
  private static byte[] lastCheckpoint(String bootstrap) {
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var tp = new org.apache.kafka.common.TopicPartition("ledger.checkpoints", 0);
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      if (end == 0) {
        return null;
      }
      consumer.seek(tp, Math.max(0, end - 3));
      byte[] last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          last = r.value();
        }
      }
      return last;
    }
  }
}
