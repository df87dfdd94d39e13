package dev.trustledger.ssf;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.ledger.view.ReadModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers SETs for the read model's status changes: pushed to each configured receiver (RFC 8935:
 * POST, {@code application/secevent+jwt}, 202 Accepted; a 400 refuses that SET for good; anything
 * else is retried, in order, with a pause that doubles up to 30 s), and held for polling (RFC 8936)
 * until acknowledged. Each receiver's position is kept in a file, so a restarted node resumes where
 * it stopped; a new receiver starts with the changes after the node started.
 */
public final class Transmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transmitter.class);

  /** Most SETs held for polling; the oldest go first beyond it. */
  static final int POLL_CAPACITY = 10_000;

  /** A SET and the change it came from. */
  record Token(String jti, String token, long offset, int index) {}

  private final ReadModel model;
  private final String issuer;
  private final String audience;
  private final String ledgerId;
  private final Supplier<Ed25519PrivateKey> key;
  private final Clock clock;
  private final List<Pusher> pushers = new ArrayList<>();
  private final LinkedHashMap<String, String> polled = new LinkedHashMap<>();
  private final ReadModel.Subscription pollSubscription;

  /**
   * @param receivers push endpoints, each with its bearer token (empty: none)
   * @param stateDir where each receiver's position is kept
   */
  public Transmitter(
      ReadModel model,
      String issuer,
      String audience,
      String ledgerId,
      Supplier<Ed25519PrivateKey> key,
      Clock clock,
      List<URI> receivers,
      String pushToken,
      Path stateDir) {
    this.model = model;
    this.issuer = issuer;
    this.audience = audience;
    this.ledgerId = ledgerId;
    this.key = key;
    this.clock = clock;
    this.pollSubscription = model.subscribe(model.offset(), Integer.MAX_VALUE, this::held);
    for (URI receiver : receivers) {
      pushers.add(new Pusher(receiver, pushToken, stateDir));
    }
  }

  /** The SET a change calls for, if any. */
  Optional<Token> set(ReadModel.Change c) {
    return SecurityEvents.eventType(c)
        .map(
            type ->
                new Token(
                    SecurityEvents.jti(ledgerId, c),
                    SecurityEvents.token(
                        issuer, audience, ledgerId, c, type, clock.millis(), key.get()),
                    c.offset(),
                    c.index()));
  }

  private void held(ReadModel.Change c) {
    set(c)
        .ifPresent(
            s -> {
              synchronized (polled) {
                polled.put(s.jti(), s.token());
                while (polled.size() > POLL_CAPACITY) {
                  polled.remove(polled.keySet().iterator().next());
                }
                polled.notifyAll();
              }
            });
  }

  /**
   * One poll (RFC 8936): drops the acknowledged SETs, then returns up to {@code max} held ones,
   * waiting up to {@code waitMs} for one when none is held and the poller asked to wait.
   */
  public Map<String, String> poll(List<String> ack, int max, long waitMs)
      throws InterruptedException {
    synchronized (polled) {
      ack.forEach(polled::remove);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
      while (polled.isEmpty() && max > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        polled.wait(left);
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : polled.entrySet()) {
        if (out.size() >= max) {
          break;
        }
        out.put(e.getKey(), e.getValue());
      }
      return out;
    }
  }

  /** The key tokens are signed with now: the ledger's key in force. */
  public Ed25519PublicKey publicKey() {
    return key.get().publicKey();
  }

  /** SETs held for polling and not yet acknowledged. */
  public int held() {
    synchronized (polled) {
      return polled.size();
    }
  }

  @Override
  public void close() {
    pollSubscription.close();
    pushers.forEach(Pusher::close);
  }

  /** Pushes to one receiver, in order, from its saved position. */
  private final class Pusher {
    private final URI receiver;
    private final String token;
    private final Path cursorFile;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LinkedBlockingQueue<ReadModel.Change> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ReadModel.Subscription subscription;
    private final List<ReadModel.Change> early = new ArrayList<>();
    private boolean started;
    private volatile boolean closed;

    Pusher(URI receiver, String token, Path stateDir) {
      this.receiver = receiver;
      this.token = token;
      this.cursorFile =
          stateDir.resolve(
              "ssf-push-"
                  + dev.trustledger.encoding.Hex.encode(
                          dev.trustledger.crypto.Sha256.hash(
                              receiver.toString().getBytes(StandardCharsets.UTF_8)))
                      .substring(0, 16)
                  + ".position");
      long offset = model.offset();
      int index = Integer.MAX_VALUE;
      try {
        if (Files.exists(cursorFile)) {
          String[] saved = Files.readString(cursorFile).trim().split("-");
          offset = Long.parseLong(saved[0]);
          index = Integer.parseInt(saved[1]);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read {}; pushing from now: {}", cursorFile, e.toString());
      }
      this.subscription = model.subscribe(offset, index, this::offer);
      synchronized (this) {
        queue.addAll(subscription.backlog());
        queue.addAll(early);
        early.clear();
        started = true;
      }
      this.thread = new Thread(this::run, "ssf-push-" + receiver.getHost());
      this.thread.setDaemon(true);
      this.thread.start();
    }

    private void offer(ReadModel.Change c) {
      synchronized (this) {
        if (!started) {
          early.add(c);
          return;
        }
      }
      queue.add(c);
    }

    private void run() {
      while (!closed) {
        ReadModel.Change c;
        try {
          c = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        Optional<Token> set = set(c);
        if (set.isPresent()) {
          if (!deliver(set.get())) {
            return;
          }
          save(c);
        }
      }
    }

    /** Pushes one SET until the receiver takes or refuses it; false when closed meanwhile. */
    private boolean deliver(Token set) {
      long pauseMs = 250;
      while (!closed) {
        try {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(receiver)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", SecurityEvents.MEDIA_TYPE)
                  .header("Accept", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(set.token()));
          if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
          }
          HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 202 || r.statusCode() == 200) {
            return true;
          }
          if (r.statusCode() == 400) {
            LOG.error("receiver {} refused SET {} for good: {}", receiver, set.jti(), r.body());
            return true;
          }
          LOG.warn(
              "receiver {} answered {} to SET {}; retrying", receiver, r.statusCode(), set.jti());
        } catch (IOException e) {
          LOG.warn("receiver {} unreachable ({}); retrying SET {}", receiver, e, set.jti());
        } catch (InterruptedException e) {
          return false;
        }
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException e) {
          return false;
        }
        pauseMs = Math.min(30_000, pauseMs * 2);
      }
      return false;
    }

    private void save(ReadModel.Change c) {
      try {
        Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        Files.writeString(tmp, c.offset() + "-" + c.index());
        Files.move(
            tmp,
            cursorFile,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        LOG.warn("cannot save the push position to {}: {}", cursorFile, e.toString());
      }
    }

    void close() {
      closed = true;
      subscription.close();
      thread.interrupt();
    }
  }
}
