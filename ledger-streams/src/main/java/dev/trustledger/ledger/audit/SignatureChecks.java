package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.audit.Problem.Kind.DECISION;
import static dev.trustledger.ledger.audit.Problem.Kind.POP_SIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.SIGNATURE;

import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The signature checks of every entry's event with the key its entry records, made in chunks on a
 * pool of one thread per core, as the ledger's verify stage makes them; the serial replay asks for
 * each verdict with {@link #get}, which waits only for the chunk it needs. The auditor and the
 * monitor both use it.
 */
final class SignatureChecks {
  private static final int CHUNK = 512;
  private final EventVerifier verifier;
  private final Verdict[] checked;
  private final List<CompletableFuture<List<Problem>>> chunks = new ArrayList<>();

  /** Threads for the checks: one per core. */
  static final class Pool implements AutoCloseable {
    private final ExecutorService executor =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            r -> {
              Thread t = new Thread(r, "audit-verify");
              t.setDaemon(true);
              return t;
            });

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  static Pool pool() {
    return new Pool();
  }

  /** Starts checking {@code all} on {@code pool}. */
  SignatureChecks(EventVerifier verifier, List<At> all, Pool pool) {
    this.verifier = verifier;
    this.checked = new Verdict[all.size()];
    for (int start = 0; start < all.size(); start += CHUNK) {
      int from = start;
      int to = Math.min(all.size(), start + CHUNK);
      chunks.add(CompletableFuture.supplyAsync(() -> check(all, from, to), pool.executor));
    }
  }

  private List<Problem> check(List<At> all, int from, int to) {
    List<Problem> found = new ArrayList<>();
    for (int i = from; i < to; i++) {
      At at = all.get(i);
      if (!(at.entry().getEvent() instanceof SignedEvent event)) {
        continue;
      }
      byte[] key = Buffers.toArray(at.entry().getFacts().getSignerPublicKey());
      if (key == null) {
        found.add(at.problem(SIGNATURE, "a recorded signer key", "none"));
        continue;
      }
      Optional<Rejected> bad = verifier.verify(event, key);
      checked[i] =
          Verdict.newBuilder()
              .setSignerKey(ByteBuffer.wrap(key))
              .setReason(bad.map(Rejected::reason).orElse(null))
              .setDetail(bad.map(Rejected::detail).orElse(""))
              .build();
      bad.ifPresent(
          r ->
              found.add(
                  at.problem(
                      r.reason() == RejectionReason.BAD_SIGNATURE
                          ? SIGNATURE
                          : r.reason() == RejectionReason.BAD_POP_SIGNATURE
                              ? POP_SIGNATURE
                              : DECISION,
                      "a valid event",
                      r.reason() + ": " + r.detail())));
    }
    return found;
  }

  /** The verdict about entry {@code i}, or null when it records no signed event. */
  Verdict get(int i) {
    chunks.get(i / CHUNK).join();
    return checked[i];
  }

  /** Every signature problem, in log order. */
  List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    chunks.forEach(c -> out.addAll(c.join()));
    return out;
  }
}
