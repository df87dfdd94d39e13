package dev.trustledger.witness;

import dev.trustledger.api.Witnessing;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.LogTree;
import dev.trustledger.merkle.Proofs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits each new checkpoint of the ledger to the configured witnesses (C2SP tlog-witness
 * add-checkpoint, with a consistency proof from the size each witness last cosigned), keeps the
 * cosignatures that verify, and reports a witness that refuses: a refused consistency proof means
 * the witness saw another tree of this ledger (a fork), a larger size than ours a rollback.
 */
public final class WitnessClient implements Witnessing, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WitnessClient.class);

  /** Checkpoints whose cosignatures are kept, newest last. */
  static final int KEPT = 256;

  private final LedgerReader reader;
  private final List<Target> targets;
  private final int quorum;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final ScheduledExecutorService timer;
  private final Map<String, List<SignedNote.Signature>> cosigned =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<SignedNote.Signature>> eldest) {
          return size() > KEPT;
        }
      };

  /** One witness and what the node knows of it. */
  private static final class Target {
    final CosignerKey key;
    final String url;
    volatile long cosignedSize;
    volatile long knownSize = -1;
    volatile long refusals;
    volatile String lastProblem;
    long nextAttempt;
    Counter refused;

    Target(CosignerKey key, String url) {
      this.key = key;
      this.url = url;
    }
  }

  /** A witness to submit to. */
  public record Endpoint(CosignerKey key, String url) {}

  public WitnessClient(
      LedgerReader reader, List<Endpoint> witnesses, int quorum, MeterRegistry metrics) {
    this.reader = reader;
    this.quorum = quorum;
    this.targets = new ArrayList<>();
    for (Endpoint w : witnesses) {
      Target t = new Target(w.key(), w.url());
      if (metrics != null) {
        t.refused =
            Counter.builder("ledger.witness.refusals")
                .description("Checkpoints a witness refused or could not be reached for")
                .tag("witness", w.key().name())
                .register(metrics);
        Gauge.builder("ledger.witness.cosigned.size", t, x -> x.cosignedSize)
            .description("Largest checkpoint size the witness cosigned for this node")
            .tag("witness", w.key().name())
            .register(metrics);
      }
      targets.add(t);
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "witness-client");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts submitting, checking for a new checkpoint every {@code every}. */
  public WitnessClient start(Duration every) {
    if (!targets.isEmpty()) {
      timer.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Submits the latest checkpoint to every witness that has not cosigned it, now. */
  public void submitAll() {
    targets.forEach(t -> t.nextAttempt = 0);
    poll();
  }

  private void poll() {
    try {
      List<Checkpoint> latest = reader.checkpoints();
      if (latest.isEmpty()) {
        return;
      }
      Checkpoint c = latest.get(0);
      LogTree tree = reader.tree();
      if (tree.size() < c.getSize()) {
        return;
      }
      long now = System.currentTimeMillis();
      for (Target t : targets) {
        if (t.cosignedSize < c.getSize() && now >= t.nextAttempt) {
          if (!submit(t, c, tree)) {
            t.nextAttempt = now + 2_000;
          }
        }
      }
    } catch (RuntimeException e) {
      // The stores are restoring or moving; try again at the next tick.
      LOG.debug("witness client: {}", e.toString());
    }
  }

  /** Submits {@code c} to {@code t}; true when it cosigned. */
  boolean submit(Target t, Checkpoint c, LogTree tree) {
    long size = c.getSize();
    long old = Math.max(0, t.knownSize);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (old > size) {
        return refused(
            t,
            "has cosigned a tree of size "
                + old
                + " of this ledger, larger than the checkpoint of size "
                + size
                + ": this ledger rolled back, or the witness saw a fork");
      }
      List<byte[]> proof =
          old == 0 || old == size ? List.of() : Proofs.consistency(old, size, tree);
      String body = new Witness.Request(old, proof, c.getNote()).format();
      HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(t.url + "/add-checkpoint"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        return refused(t, "cannot be reached at " + t.url + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      switch (response.statusCode()) {
        case 200 -> {
          return accept(t, c, response.body());
        }
        case 409 -> {
          try {
            old = Long.parseLong(response.body().trim());
            t.knownSize = old;
          } catch (NumberFormatException e) {
            return refused(t, "answered 409 without a size: '" + response.body().trim() + "'");
          }
        }
        case 422 -> {
          return refused(
              t,
              "refuses the checkpoint of size "
                  + size
                  + " as inconsistent with the tree it cosigned at size "
                  + old
                  + " (a fork?): "
                  + response.body().trim());
        }
        default -> {
          return refused(t, "answered " + response.statusCode() + ": " + response.body().trim());
        }
      }
    }
    return refused(t, "kept answering 409");
  }

  private boolean accept(Target t, Checkpoint c, String lines) {
    try {
      SignedNote note = SignedNote.parse(c.getNote());
      List<SignedNote.Signature> given = SignedNote.parseLines(lines);
      SignedNote with = note.with(given);
      if (t.key.verify(with).isEmpty()) {
        return refused(t, "answered without a cosignature of its key");
      }
      List<SignedNote.Signature> mine = new ArrayList<>();
      for (SignedNote.Signature s : given) {
        if (t.key.verify(new SignedNote(note.text(), List.of(s))).isPresent()) {
          mine.add(s);
        }
      }
      synchronized (cosigned) {
        List<SignedNote.Signature> held =
            new ArrayList<>(cosigned.getOrDefault(note.text(), List.of()));
        held.removeIf(s -> s.name().equals(t.key.name()));
        held.addAll(mine);
        cosigned.put(note.text(), List.copyOf(held));
      }
      t.cosignedSize = c.getSize();
      t.knownSize = c.getSize();
      t.lastProblem = null;
      return true;
    } catch (NoteException e) {
      return refused(t, "answered with a cosignature that does not verify: " + e.getMessage());
    }
  }

  private boolean refused(Target t, String problem) {
    t.refusals++;
    t.lastProblem = problem;
    if (t.refused != null) {
      t.refused.increment();
    }
    LOG.error("witness {} {}", t.key.name(), problem);
    return false;
  }

  @Override
  public List<SignedNote.Signature> cosignatures(String text) {
    synchronized (cosigned) {
      return cosigned.getOrDefault(text, List.of());
    }
  }

  @Override
  public List<CosignerKey> witnesses() {
    return targets.stream().map(t -> t.key).toList();
  }

  @Override
  public int quorum() {
    return quorum;
  }

  @Override
  public List<Status> status() {
    return targets.stream()
        .map(
            t ->
                new Status(
                    t.key.name(),
                    t.key.verifierKey(),
                    t.url,
                    t.cosignedSize,
                    t.refusals,
                    t.lastProblem))
        .toList();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
