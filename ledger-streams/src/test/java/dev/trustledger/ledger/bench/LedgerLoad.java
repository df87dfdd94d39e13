package dev.trustledger.ledger.bench;

import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.testkit.OutputCounter;
import dev.trustledger.ledger.testkit.RecordCounter;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testkit.KafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end load of the ledger on one machine: an in-JVM KRaft broker, the ledger topology (2
 * stream threads) and this generator in one JVM. Publishes N agent registrations and R behaviour
 * reports, all signed before the clock starts, and measures events/s from the first publish to the
 * last committed outcome, beside the raw two-thread Ed25519 verify rate measured in the same run.
 *
 * <pre>
 * ./mvnw -pl ledger-streams -am -Pload test-compile exec:exec -Dload.agents=10000 -Dload.reports=50000
 * </pre>
 */
public final class LedgerLoad {
  private LedgerLoad() {}

  public static void main(String[] args) throws Exception {
    int agents = Integer.getInteger("load.agents", 10_000);
    int reports = Integer.getInteger("load.reports", 50_000);
    int agentsPerSponsor = Integer.getInteger("load.agentsPerSponsor", 1000);
    long now = System.currentTimeMillis();

    System.out.printf(
        "agents %d, reports %d, commit interval %d ms%n",
        agents, reports, Long.getLong("load.commitMs", 100L));
    System.out.printf("raw Ed25519 verify, 2 threads: %.0f/s%n", rawVerifyRate(2, 5_000));
    System.out.printf("generating %d agents and %d reports...%n", agents, reports);
    Random random = new Random(1);
    int sponsorCount = Math.max(1, agents / agentsPerSponsor);
    Ed25519PrivateKey[] sponsors = new Ed25519PrivateKey[sponsorCount];
    for (int i = 0; i < sponsorCount; i++) {
      sponsors[i] = seeded(random);
    }
    Ed25519PrivateKey[] agentKeys = new Ed25519PrivateKey[agents];
    for (int i = 0; i < agents; i++) {
      agentKeys[i] = seeded(random);
    }
    SingleObjectFormat<SignedEvent> format = SingleObjectFormat.of(SignedEvent.getClassSchema());
    List<byte[][]> sponsorEvents =
        encode(
            format,
            IntStream.range(0, sponsorCount)
                .parallel()
                .mapToObj(
                    i ->
                        Events.registerSponsor(sponsors[i].publicKey(), "s" + i, "ops@example.org")
                            .eventId("s" + i)
                            .issuedAt(now)
                            .sign(Signer.admin(LedgerDriver.ADMIN), sponsors[i])));
    List<byte[][]> agentEvents =
        encode(
            format,
            IntStream.range(0, agents)
                .parallel()
                .mapToObj(
                    i ->
                        Events.registerAgent(
                                agentKeys[i].publicKey(),
                                Signer.sponsor(sponsors[i % sponsorCount]).id())
                            .name("a" + i)
                            .draft()
                            .eventId("a" + i)
                            .issuedAt(now)
                            .sign(Signer.sponsor(sponsors[i % sponsorCount]), agentKeys[i])));
    long[] pairs = new long[reports];
    for (int i = 0; i < reports; i++) {
      int reporter = random.nextInt(agents);
      int subject = (reporter + 1 + random.nextInt(agents - 1)) % agents;
      pairs[i] = ((long) reporter << 32) | subject;
    }
    List<byte[][]> reportEvents =
        encode(
            format,
            IntStream.range(0, reports)
                .parallel()
                .mapToObj(
                    i -> {
                      int reporter = (int) (pairs[i] >>> 32);
                      int subject = (int) pairs[i];
                      return Events.report(
                              Signer.agent(agentKeys[subject]).id(),
                              "i" + i,
                              (i * 37) % 101,
                              Severity.values()[i % 4],
                              "load")
                          .eventId("r" + i)
                          .issuedAt(now)
                          .sign(Signer.agent(agentKeys[reporter]));
                    }));

    Path state = Files.createTempDirectory("ledger-load");
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      String bootstrap = cluster.bootstrapServers();
      Map<String, Object> values = LedgerSetup.config(bootstrap, state, "ledger-load");
      values.put(LedgerConfig.CHECKPOINT_ENTRIES_CONFIG, 10_000);
      values.put(LedgerConfig.COMMIT_INTERVAL_MS_CONFIG, Long.getLong("load.commitMs", 100L));
      values.put(LedgerConfig.EVENTS_PARTITIONS_CONFIG, Integer.getInteger("load.partitions", 3));
      values.put(LedgerConfig.STREAM_THREADS_CONFIG, Integer.getInteger("load.threads", 2));
      LedgerConfig config = new LedgerConfig(values);
      try (LedgerRuntime ledger = LedgerRuntime.start(config, LedgerDriver.LEDGER_KEY, Map.of());
          OutputCounter outputs = new OutputCounter(bootstrap);
          KafkaProducer<String, byte[]> producer =
              new KafkaProducer<>(
                  LedgerPublisher.producerConfig(
                      bootstrap,
                      Map.of(
                          ProducerConfig.LINGER_MS_CONFIG,
                          20,
                          ProducerConfig.BATCH_SIZE_CONFIG,
                          256 * 1024)))) {
        while (ledger.streams().state() != KafkaStreams.State.RUNNING) {
          Thread.sleep(100);
        }
        RecordCounter records = new RecordCounter(bootstrap);
        long done = run("sponsors", sponsorEvents, producer, outputs, 0, records);
        done = run("agent registrations", agentEvents, producer, outputs, done, records);
        done = run("behaviour reports", reportEvents, producer, outputs, done, records);
        int single = Integer.getInteger("load.single", 0);
        if (single > 0) {
          done = oneAtATime(single, agentKeys, now, producer, outputs, done, records);
        }
        idle(records, Long.getLong("load.idleMs", 0L));
        records.close();
        System.out.printf(
            "raw Ed25519 verify, 2 threads (after): %.0f/s%n", rawVerifyRate(2, 5_000));
        System.out.printf("rejections: %d %s%n", outputs.rejections(), outputs.reasons());
        if (Boolean.getBoolean("load.audit")) {
          audit(bootstrap, config);
        }
        if (Boolean.getBoolean("load.monitor")) {
          monitor(bootstrap, config, outputs.entries());
        }
      }
      long bytes = size(state);
      System.out.printf(
          "state dir: %.1f MB, %.0f bytes per agent%n", bytes / 1e6, (double) bytes / agents);
    }
  }

  private static long run(
      String phase,
      List<byte[][]> events,
      KafkaProducer<String, byte[]> producer,
      OutputCounter outputs,
      long before,
      RecordCounter records)
      throws Exception {
    Map<String, Long> recordsBefore = records.snapshot();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> cpuBefore = streamThreadCpu(threads);
    long processCpuBefore = processCpu();
    long start = System.nanoTime();
    for (byte[][] e : events) {
      producer.send(new ProducerRecord<>(LedgerPublisher.EVENTS_TOPIC, new String(e[0]), e[1]));
    }
    producer.flush();
    long published = System.nanoTime();
    long target = before + events.size();
    while (outputs.outcomes() < target) {
      Thread.sleep(20);
    }
    long end = System.nanoTime();
    double seconds = (end - start) / 1e9;
    Map<String, Long> cpuAfter = streamThreadCpu(threads);
    StringBuilder busy = new StringBuilder();
    cpuAfter.forEach(
        (name, cpu) ->
            busy.append(
                String.format(
                    " %s %.0f%%",
                    name.substring(name.lastIndexOf('-') + 1),
                    100.0 * (cpu - cpuBefore.getOrDefault(name, 0L)) / (end - start))));
    System.out.printf(
        "  stream threads busy:%s; whole process %.0f%% of one core%n",
        busy, 100.0 * (processCpu() - processCpuBefore) / (end - start));
    System.out.printf(
        "%s: %d events, published in %.1f s, all committed in %.1f s: %.0f events/s end to end%n",
        phase, events.size(), (published - start) / 1e9, seconds, events.size() / seconds);
    // Let the last transaction's markers and offset commits land before counting.
    Thread.sleep(1000);
    printRecords(phase, RecordCounter.delta(recordsBefore, records.snapshot()), events.size());
    return target;
  }

  private static void printRecords(String phase, Map<String, Long> delta, long events) {
    System.out.printf("  Kafka records written per event (%s), by topic:%n", phase);
    RecordCounter.perEvent(delta, events, LedgerPublisher.EVENTS_TOPIC)
        .forEach(System.out::println);
  }

  /** Reports sent one at a time, each after the previous one's outcome is committed. */
  private static long oneAtATime(
      int n,
      Ed25519PrivateKey[] agentKeys,
      long now,
      KafkaProducer<String, byte[]> producer,
      OutputCounter outputs,
      long before,
      RecordCounter records)
      throws Exception {
    SingleObjectFormat<SignedEvent> format = SingleObjectFormat.of(SignedEvent.getClassSchema());
    Map<String, Long> recordsBefore = records.snapshot();
    long start = System.nanoTime();
    long done = before;
    for (int i = 0; i < n; i++) {
      Ed25519PrivateKey reporter = agentKeys[i % agentKeys.length];
      Ed25519PrivateKey subject = agentKeys[(i + 1) % agentKeys.length];
      SignedEvent e =
          Events.report(Signer.agent(subject).id(), "single-" + i, 80, Severity.LOW, "load")
              .eventId("single-" + i)
              .issuedAt(now)
              .sign(Signer.agent(reporter));
      producer.send(
          new ProducerRecord<>(
              LedgerPublisher.EVENTS_TOPIC,
              e.getSubjectId(),
              format.encode(LedgerPublisher.EVENTS_TOPIC, e)));
      producer.flush();
      done++;
      while (outputs.outcomes() < done) {
        Thread.sleep(1);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "reports one at a time: %d events in %.1f s, %.1f ms each from publish to committed outcome%n",
        n, seconds, 1000 * seconds / n);
    Thread.sleep(1000);
    printRecords("one at a time", RecordCounter.delta(recordsBefore, records.snapshot()), n);
    return done;
  }

  /** What an idle ledger writes in {@code millis}. */
  private static void idle(RecordCounter records, long millis) throws Exception {
    if (millis <= 0) {
      return;
    }
    Thread.sleep(3000);
    Map<String, Long> before = records.snapshot();
    Thread.sleep(millis);
    Map<String, Long> delta = RecordCounter.delta(before, records.snapshot());
    System.out.printf("idle for %d ms: records written %s%n", millis, delta);
  }

  /** Reads the whole log back and audits it, beside the raw verify rate. */
  private static void audit(String bootstrap, LedgerConfig config) throws Exception {
    Thread.sleep(config.checkpointIntervalMs() + 1500);
    long start = System.nanoTime();
    var log =
        new dev.trustledger.ledger.audit.TopicLogReader(
                bootstrap,
                dev.trustledger.topic.LedgerTopics.DEFAULT,
                dev.trustledger.topic.LedgerFormats.singleObject())
            .read();
    double readSeconds = (System.nanoTime() - start) / 1e9;
    var auditor = dev.trustledger.ledger.audit.LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey());
    double raw = rawVerifyRate(2, 5_000);
    var report = auditor.audit(log);
    double rawAfter = rawVerifyRate(2, 5_000);
    System.out.printf(
        "audit: %d entries, %d problems, read in %.1f s, verified in %.1f s: %.0f entries/s;"
            + " raw verify 2 threads %.0f/s before, %.0f/s after: %.0f%% of raw%n",
        report.entries(),
        report.problems().size(),
        readSeconds,
        report.elapsed().toNanos() / 1e9,
        report.entriesPerSecond(),
        raw,
        rawAfter,
        100 * report.entriesPerSecond() / ((raw + rawAfter) / 2));
  }

  /**
   * Runs the monitor from nothing over the whole log (every checkpoint in turn), beside the raw
   * verify rate.
   */
  private static void monitor(String bootstrap, LedgerConfig config, long entries)
      throws Exception {
    Thread.sleep(config.checkpointIntervalMs() + 1500);
    var monitor =
        new dev.trustledger.ledger.audit.LogMonitor(
            LedgerDriver.LEDGER_KEY.publicKey(),
            Files.createTempDirectory("ledger-load-monitor"),
            Map.of("bootstrap.servers", bootstrap),
            dev.trustledger.topic.LedgerTopics.DEFAULT,
            dev.trustledger.topic.LedgerFormats.singleObject());
    double raw = rawVerifyRate(2, 5_000);
    AtomicLong verified = new AtomicLong();
    long start = System.nanoTime();
    var problem =
        monitor.follow(
            new dev.trustledger.ledger.audit.LogMonitor.Listener() {
              @Override
              public void verified(long treeSize, long total, long createdAt) {
                verified.set(treeSize);
              }

              @Override
              public void problem(dev.trustledger.ledger.audit.Problem p) {
                System.out.println("monitor: " + p);
              }
            },
            () -> verified.get() >= entries);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rawAfter = rawVerifyRate(2, 5_000);
    System.out.printf(
        "monitor: %d entries verified from zero in %.1f s: %.0f entries/s (%s);"
            + " raw verify 2 threads %.0f/s before, %.0f/s after: %.0f%% of raw%n",
        verified.get(),
        seconds,
        verified.get() / seconds,
        problem.map(Object::toString).orElse("no problem"),
        raw,
        rawAfter,
        100 * (verified.get() / seconds) / ((raw + rawAfter) / 2));
  }

  private static Map<String, Long> streamThreadCpu(java.lang.management.ThreadMXBean threads) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo info : threads.dumpAllThreads(false, false)) {
      if (info.getThreadName().contains("StreamThread")) {
        out.put(info.getThreadName(), threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return out;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static List<byte[][]> encode(
      SingleObjectFormat<SignedEvent> format, Stream<SignedEvent> events) {
    return events
        .map(
            e ->
                new byte[][] {
                  e.getSubjectId().getBytes(), format.encode(LedgerPublisher.EVENTS_TOPIC, e)
                })
        .toList();
  }

  private static Ed25519PrivateKey seeded(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  /** Verifications per second of a report's signing bytes on {@code threads} threads. */
  static double rawVerifyRate(int threads, long millis) throws InterruptedException {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);
    byte[] message =
        SigningBytes.of(
            Events.report("agt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "i", 50, Severity.LOW, "load")
                .eventId("r")
                .issuedAt(0)
                .sign(Signer.agent(key)));
    byte[] signature = key.sign(message);
    Ed25519PublicKey publicKey = key.publicKey();
    AtomicLong count = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                long n = 0;
                while (!stop.get()) {
                  if (publicKey.verify(message, signature)) {
                    n++;
                  }
                }
                count.addAndGet(n);
              });
      workers.add(w);
      w.start();
    }
    Thread.sleep(1000);
    count.set(0);
    long start = System.nanoTime();
    Thread.sleep(millis);
    stop.set(true);
    long elapsed = System.nanoTime() - start;
    for (Thread w : workers) {
      w.join();
    }
    return count.get() / (elapsed / 1e9);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
