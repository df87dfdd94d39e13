package dev.trustledger.cli;

import com.sun.net.httpserver.HttpServer;
import dev.trustledger.ledger.audit.LogMonitor;
import dev.trustledger.ledger.audit.Problem;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** {@code ledger audit --follow}: the monitor, with its metrics and messages. */
final class Monitor {
  private Monitor() {}

  static int run(AuditCommands.Audit a, PrintWriter out, PrintWriter err) throws Exception {
    if (a.source.bootstrap == null) {
      throw new CliException(ExitCodes.USAGE, "--follow reads Kafka: give --bootstrap");
    }
    if (a.stateDir == null) {
      throw new CliException(
          ExitCodes.USAGE, "--follow needs --state-dir to keep what it verified");
    }
    Map<String, Object> kafka = Brokers.settings(a.source.bootstrap, a.kafkaConfig);
    Brokers.requireReachable(kafka, 15);
    LogMonitor monitor;
    try {
      monitor =
          new LogMonitor(
              KeyOptions.publicKey(a.ledgerKey, "ledger"),
              a.stateDir,
              kafka,
              LedgerTopics.DEFAULT,
              LedgerFormats.of(a.registryUrl));
    } catch (IOException e) {
      throw new CliException(ExitCodes.ENVIRONMENT, e.getMessage());
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicLong size = new AtomicLong(monitor.verifiedSize());
    AtomicLong entries = new AtomicLong(monitor.verifiedEntries());
    AtomicLong checkpointAt = new AtomicLong();
    Gauge.builder("ledger.monitor.verified.tree.size", size, AtomicLong::get)
        .description("Size of the largest checkpoint the monitor verified")
        .register(metrics);
    Gauge.builder(
            "ledger.monitor.checkpoint.age.seconds",
            checkpointAt,
            t -> t.get() == 0 ? Double.NaN : (System.currentTimeMillis() - t.get()) / 1000.0)
        .description("Age of the newest checkpoint the monitor verified")
        .register(metrics);
    Counter verifiedEntries =
        Counter.builder("ledger.monitor.verified.entries")
            .description("Entries the monitor replayed and verified since it started")
            .register(metrics);
    Counter problems =
        Counter.builder("ledger.monitor.problems")
            .description("Problems found (the monitor stops at the first)")
            .register(metrics);
    HttpServer http = null;
    if (a.metricsPort >= 0) {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", a.metricsPort), 0);
      http.createContext(
          "/metrics",
          ex -> {
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(body);
            }
          });
      http.start();
      err.printf("metrics on http://127.0.0.1:%d/metrics%n", http.getAddress().getPort()).flush();
    }
    AtomicBoolean stop = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
    err.printf(
            "following the log from size %,d (state in %s)%n", monitor.verifiedSize(), a.stateDir)
        .flush();
    long start = System.nanoTime();
    Optional<Problem> found;
    try {
      found =
          monitor.follow(
              new LogMonitor.Listener() {
                @Override
                public void verified(long treeSize, long total, long createdAt) {
                  verifiedEntries.increment(total - entries.getAndSet(total));
                  size.set(treeSize);
                  checkpointAt.set(createdAt);
                  double seconds = (System.nanoTime() - start) / 1e9;
                  out.printf(
                          "verified size %,d (%,d entries since start, %,.0f entries/s)%n",
                          treeSize, verifiedEntries.count(), verifiedEntries.count() / seconds)
                      .flush();
                }

                @Override
                public void problem(Problem problem) {
                  problems.increment();
                  out.println("PROBLEM " + problem);
                  out.flush();
                }
              },
              stop::get);
    } finally {
      if (http != null) {
        http.stop(0);
      }
    }
    return found.isPresent() ? ExitCodes.NO : ExitCodes.OK;
  }
}
