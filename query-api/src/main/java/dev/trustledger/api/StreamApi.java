package dev.trustledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.TrustParameters;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.view.ReadModel;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/stream}: Server-Sent Events of status, trust, principal and ledger changes, from
 * the node's read model. Each event's id is {@code <offset>-<index>} (the view in ledger.views and
 * the change's place among those it made); a client that reconnects with {@code Last-Event-ID} gets
 * every later change once.
 */
final class StreamApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamApi.class);

  /** Most events queued for one client; a client that falls further behind is disconnected. */
  static final int MAX_QUEUED = 50_000;

  /**
   * A comment is sent this often by default ({@code heartbeat_ms} chooses between the bounds), so
   * idle connections stay open through proxies and Jetty and clients can tell a quiet stream from a
   * dead one.
   */
  static final long HEARTBEAT_MS = 5_000;

  static final long MIN_HEARTBEAT_MS = 250;
  static final long MAX_HEARTBEAT_MS = 8_000;

  private static final Object HEARTBEAT = new Object();
  private static final Object CAUGHT_UP = new Object();

  private final ReadModel model;
  private final ObjectMapper json;
  private final Clock clock;
  private final ExecutorService writers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "ledger-stream-writer");
            t.setDaemon(true);
            return t;
          });
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ledger-stream-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final Set<Subscriber> subscribers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  StreamApi(ReadModel model, ObjectMapper json, Clock clock) {
    this.model = model;
    this.json = json;
    this.clock = clock;
    heartbeats.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          subscribers.forEach(s -> s.heartbeatIfDue(now));
        },
        MIN_HEARTBEAT_MS,
        MIN_HEARTBEAT_MS / 2,
        TimeUnit.MILLISECONDS);
  }

  /** Where a client resumes: after the change {@code index} of the view at {@code offset}. */
  record Position(long offset, int index) {
    static final Position BEGINNING = new Position(-1, Integer.MAX_VALUE);

    static Position parse(String id) {
      try {
        int dash = id.indexOf('-', 1);
        if (dash < 0) {
          long offset = Long.parseLong(id);
          if (offset < -1) {
            throw new NumberFormatException();
          }
          return new Position(offset, Integer.MAX_VALUE);
        }
        long offset = Long.parseLong(id.substring(0, dash));
        int index = Integer.parseInt(id.substring(dash + 1));
        if (offset < 0 || index < 0) {
          throw new NumberFormatException();
        }
        return new Position(offset, index);
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw ApiException.badRequest(
            "invalid-parameter",
            "Last-Event-ID must be an event id of this stream (<offset>-<index>), not '"
                + id
                + "'");
      }
    }
  }

  void stream(Context ctx) {
    if (model == null) {
      throw ApiException.unavailable("this node has no read model to stream", 5);
    }
    Predicate<ReadModel.Change> filter = filter(ctx);
    Position from = position(ctx);
    long heartbeatMs = HEARTBEAT_MS;
    String given = ctx.queryParam("heartbeat_ms");
    if (given != null) {
      try {
        heartbeatMs = Long.parseLong(given);
      } catch (NumberFormatException e) {
        heartbeatMs = -1;
      }
      if (heartbeatMs < MIN_HEARTBEAT_MS || heartbeatMs > MAX_HEARTBEAT_MS) {
        throw ApiException.badRequest(
            "invalid-parameter",
            "heartbeat_ms must be "
                + MIN_HEARTBEAT_MS
                + ".."
                + MAX_HEARTBEAT_MS
                + ", not "
                + given);
      }
    }
    ctx.res().setStatus(200);
    ctx.res().setCharacterEncoding("UTF-8");
    ctx.res().setContentType("text/event-stream");
    ctx.res().addHeader("Cache-Control", "no-cache");
    ctx.res().addHeader("X-Accel-Buffering", "no");
    try {
      ctx.res().flushBuffer();
    } catch (IOException e) {
      return;
    }
    SseClient client = new SseClient(ctx);
    client.keepAlive();
    Subscriber subscriber = new Subscriber(client, filter, heartbeatMs);
    ReadModel.Subscription subscription;
    if (from == null) {
      subscription = model.subscribe(model.offset(), Integer.MAX_VALUE, subscriber::offer);
    } else {
      int index = from.index() == Integer.MAX_VALUE ? Integer.MAX_VALUE : from.index();
      subscription = model.subscribe(from.offset(), index, subscriber::offer);
    }
    subscriber.subscription = subscription;
    subscribers.add(subscriber);
    client.onClose(subscriber::stop);
    subscriber.start(subscription.backlog());
  }

  private static Position position(Context ctx) {
    String last = ctx.header("Last-Event-ID");
    if (last != null && !last.isBlank()) {
      return Position.parse(last.trim());
    }
    String from = ctx.queryParam("from");
    if (from == null || from.equals("now")) {
      return null;
    }
    if (from.equals("beginning")) {
      return Position.BEGINNING;
    }
    return Position.parse(from);
  }

  private static Predicate<ReadModel.Change> filter(Context ctx) {
    String agent = ctx.queryParam("agent");
    String sponsor = ctx.queryParam("sponsor");
    String kinds = ctx.queryParam("kind");
    Set<ReadModel.Kind> wanted = EnumSet.allOf(ReadModel.Kind.class);
    if (kinds != null) {
      wanted = EnumSet.noneOf(ReadModel.Kind.class);
      for (String k : kinds.split(",")) {
        try {
          wanted.add(ReadModel.Kind.valueOf(k.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(
              "invalid-parameter",
              "kind must be a comma-separated list of status, trust, principal, ledger; not '"
                  + k
                  + "'");
        }
      }
    }
    Set<ReadModel.Kind> kindSet = wanted;
    return c -> {
      if (c.kinds().stream().noneMatch(kindSet::contains)) {
        return false;
      }
      if (c.state() == null) {
        return true;
      }
      if (agent != null && !agent.equals(c.id())) {
        return false;
      }
      return sponsor == null || sponsor.equals(c.id()) || sponsor.equals(c.state().getSponsorId());
    };
  }

  /** The event of one change. */
  ObjectNode data(ReadModel.Change c) {
    ObjectNode out = json.createObjectNode();
    out.put("id", c.id());
    ArrayNode changed = out.putArray("changed");
    for (ReadModel.Kind k : c.kinds()) {
      changed.add(k.name().toLowerCase(Locale.ROOT));
    }
    if (c.ledgerSeq() >= 0) {
      out.put("ledger_seq", c.ledgerSeq());
    } else {
      out.putNull("ledger_seq");
    }
    if (c.head() != null) {
      out.put("kind", "ledger");
      out.put("public_key", Base64Url.encode(Buffers.toArray(c.head().getPublicKey())));
      TrustParameters t = c.head().getParameters().getTrust();
      ObjectNode params = out.putObject("trust_params");
      params.put("prior", t.getPrior());
      params.put("prior_weight", t.getPriorWeight());
      params.put("evidence_half_life_ms", t.getEvidenceHalfLifeMs());
      params.put("inactivity_half_life_ms", t.getInactivityHalfLifeMs());
      return out;
    }
    PrincipalState p = c.state();
    out.put("kind", p.getKind().name().toLowerCase(Locale.ROOT));
    out.put("name", p.getName());
    out.put("status", AgentViews.status(c.status().status()));
    out.put("own_status", AgentViews.status(p.getStatus()));
    out.put("status_cause", c.status().cause());
    out.put("sponsor_id", p.getSponsorId());
    out.put("parent_agent_id", p.getParentAgentId());
    out.put("public_key", Base64Url.encode(Buffers.toArray(p.getPublicKey())));
    ArrayNode caps = out.putArray("effective_capabilities");
    c.capabilities().forEach(caps::add);
    if (p.getExpiresAt() == null) {
      out.putNull("expires_at");
    } else {
      out.put("expires_at", p.getExpiresAt());
    }
    if (p.getKind() == PrincipalKind.AGENT) {
      Evidence evidence =
          p.getTrust() != null ? Evidence.of(p.getTrust()) : Evidence.registered(p.getCreatedAt());
      ObjectNode e = out.putObject("evidence");
      e.put("positive", evidence.positive());
      e.put("negative", evidence.negative());
      e.put("evidence_time", evidence.evidenceTime());
      e.put("activity_time", evidence.activityTime());
      TrustParams params =
          model.head().map(h -> TrustParams.of(h.getParameters().getTrust())).orElse(null);
      if (params != null) {
        int score =
            p.getStatus() == PrincipalStatus.REVOKED
                ? 0
                : TrustModel.evaluate(evidence, clock.millis(), params).score();
        out.put("trust_score", score);
      }
    }
    return out;
  }

  private static String eventName(ReadModel.Change c) {
    for (ReadModel.Kind k : ReadModel.Kind.values()) {
      if (c.kinds().contains(k)) {
        return k.name().toLowerCase(Locale.ROOT);
      }
    }
    return "change";
  }

  /** Number of clients following the stream. */
  int subscribers() {
    return subscribers.size();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    subscribers.forEach(Subscriber::stop);
    writers.shutdownNow();
  }

  /** One client: a queue drained by one writer at a time. */
  private final class Subscriber {
    private final SseClient client;
    private final Predicate<ReadModel.Change> filter;
    private final long heartbeatNanos;
    private volatile long lastSent = System.nanoTime();
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Object> early = new java.util.ArrayList<>();
    private boolean started;
    volatile ReadModel.Subscription subscription;

    Subscriber(SseClient client, Predicate<ReadModel.Change> filter, long heartbeatMs) {
      this.client = client;
      this.filter = filter;
      this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
    }

    void heartbeatIfDue(long now) {
      if (now - lastSent >= heartbeatNanos && queued.get() == 0) {
        lastSent = now;
        offer(HEARTBEAT);
      }
    }

    /** Sends the backlog, then the live changes that came meanwhile, then the rest as they come. */
    void start(List<ReadModel.Change> backlog) {
      synchronized (this) {
        for (ReadModel.Change c : backlog) {
          if (filter.test(c)) {
            queue.add(c);
          }
        }
        queue.addAll(early);
        // Says "the backlog is done": a client knows it has the state as of now.
        queue.add(CAUGHT_UP);
        queued.set(queue.size());
        early.clear();
        started = true;
      }
      schedule();
    }

    void offer(Object item) {
      if (stopped.get()) {
        return;
      }
      if (item instanceof ReadModel.Change c && !filter.test(c)) {
        return;
      }
      synchronized (this) {
        if (!started) {
          early.add(item);
          return;
        }
      }
      queue.add(item);
      if (queued.incrementAndGet() > MAX_QUEUED) {
        LOG.info("a stream client fell {} events behind; disconnecting it", MAX_QUEUED);
        stop();
        return;
      }
      schedule();
    }

    private void schedule() {
      if (draining.compareAndSet(false, true)) {
        try {
          writers.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          stop();
        }
      }
    }

    private void drain() {
      try {
        Object item;
        while (!stopped.get() && (item = queue.poll()) != null) {
          queued.decrementAndGet();
          lastSent = System.nanoTime();
          if (item == HEARTBEAT) {
            client.sendComment("heartbeat");
          } else if (item == CAUGHT_UP) {
            client.sendComment("caught-up");
          } else {
            ReadModel.Change c = (ReadModel.Change) item;
            if (filter.test(c)) {
              client.sendEvent(eventName(c), data(c).toString(), c.offset() + "-" + c.index());
            }
          }
          if (client.terminated()) {
            stop();
            return;
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("a stream client went away: {}", e.toString());
        stop();
        return;
      } finally {
        draining.set(false);
      }
      if (!queue.isEmpty() && !stopped.get()) {
        schedule();
      }
    }

    void stop() {
      if (stopped.compareAndSet(false, true)) {
        subscribers.remove(this);
        ReadModel.Subscription s = subscription;
        if (s != null) {
          s.close();
        }
        queue.clear();
        try {
          client.close();
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
  }
}
