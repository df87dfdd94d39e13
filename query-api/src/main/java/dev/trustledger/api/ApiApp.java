package dev.trustledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.view.ReadModel;
import dev.trustledger.serde.WireFormat;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the HTTP API from its dependencies, not started: {@code ApiApp.create(deps).start(port)}.
 * Every route is registered in {@link #routes}; every error leaves as RFC 9457 problem+json.
 */
public final class ApiApp {
  private static final Logger LOG = LoggerFactory.getLogger(ApiApp.class);
  static final String FORWARDED_HEADER = "X-Ledger-Forwarded";

  /** Response header of every read: the ledger_seq the answer reflects. */
  public static final String SEQ_HEADER = "Ledger-Seq";

  /** Request header (or query parameter {@code min_seq}): the least ledger_seq to reflect. */
  public static final String MIN_SEQ_HEADER = "Ledger-Min-Seq";

  /**
   * Response header of the event status: the ledger_seq that decision takes a read model to (the
   * accepted entry's, or the one before a rejection's).
   */
  public static final String DECIDED_SEQ_HEADER = "Ledger-Decided-Seq";

  /** What the API needs. */
  public record Deps(
      LedgerReader reader,
      KeyDirectory keys,
      EventSink sink,
      WireFormat<SignedEvent> avroEvents,
      StoreLocator locator,
      Clock clock,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics,
      ApiOptions options,
      Witnessing witnessing,
      KeyRing ledgerKeys,
      ReadModel model,
      long minSeqWaitMs,
      java.util.function.Supplier<Views.NodeInfo> node,
      dev.trustledger.ssf.Transmitter ssf,
      String ssfIssuer) {

    /** Without a read model: no stream, and freshness from the reader's head. */
    public Deps(
        LedgerReader reader,
        KeyDirectory keys,
        EventSink sink,
        WireFormat<SignedEvent> avroEvents,
        StoreLocator locator,
        Clock clock,
        BooleanSupplier ready,
        PrometheusMeterRegistry metrics,
        ApiOptions options,
        Witnessing witnessing,
        KeyRing ledgerKeys) {
      this(
          reader,
          keys,
          sink,
          avroEvents,
          locator,
          clock,
          ready,
          metrics,
          options,
          witnessing,
          ledgerKeys,
          null,
          0,
          () -> new Views.NodeInfo("full", null, null),
          null,
          "");
    }

    /** The ledger_seq reads reflect now. */
    long ledgerSeq() {
      if (model != null) {
        return model.ledgerSeq();
      }
      return reader.head().map(h -> h.getNextLedgerSeq() - 1).orElse(-1L);
    }

    /** Waits (bounded) until reads reflect {@code seq}; true when they do. */
    boolean awaitLedgerSeq(long seq, long timeoutMs) throws InterruptedException {
      if (model != null) {
        return model.awaitLedgerSeq(seq, timeoutMs);
      }
      return ledgerSeq() >= seq;
    }
  }

  private ApiApp() {}

  /** The JSON mapper of the API: snake_case names. */
  public static ObjectMapper mapper() {
    return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  }

  public static Javalin create(Deps deps) {
    ObjectMapper json = mapper();
    TransparencyApi log =
        new TransparencyApi(
            deps.reader(), deps.witnessing(), deps.ledgerKeys(), deps.clock(), json);
    LedgerApi api =
        new LedgerApi(
            deps.reader(),
            deps.keys(),
            deps.sink(),
            deps.avroEvents(),
            deps.clock(),
            json,
            log,
            deps.ledgerKeys(),
            deps);
    StreamApi stream = new StreamApi(deps.model(), json, deps.clock());
    SsfApi ssf = new SsfApi(deps.ssf(), deps.ssfIssuer(), json);
    HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String openApi = resource("/openapi.yaml");
    String explorer = resource("/explorer.html");
    BodyGate bodies = new BodyGate(deps.options().maxBodyReaders());
    return Javalin.create(
        config -> {
          config.jsonMapper(new JavalinJackson(json, false));
          config.http.maxRequestSize = deps.options().maxBodyBytes();
          config.http.prefer405over404 = true;
          config.startup.showJavalinBanner = false;
          // Bounded threads and a bounded queue; a slow body cannot hold a thread for long, and
          // no thread waits for a body that has not begun.
          int threads = deps.options().maxThreads();
          config.jetty.threadPool =
              new QueuedThreadPool(
                  threads,
                  Math.min(8, threads),
                  60_000,
                  new BlockingArrayQueue<>(threads, threads, threads * 8));
          config.jetty.modifyHttpConfiguration(
              http -> {
                http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
                http.setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
                http.setDelayDispatchUntilContent(true);
                http.setSendServerVersion(false);
              });
          config.jetty.modifyServer(
              server -> {
                server.setErrorHandler(new ProblemErrorHandler());
                new HeaderDeadline(HEADER_DEADLINE_MS).install(server);
              });
          config.jetty.modifyServletContextHandler(
              handler -> handler.setErrorHandler(new ProblemErrorHandler()));
          if (!deps.options().corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(
                cors ->
                    cors.addRule(rule -> deps.options().corsOrigins().forEach(rule::allowHost)));
          }
          if (deps.metrics() != null) {
            config.requestLogger.http(
                (ctx, ms) ->
                    Timer.builder("ledger.http.requests")
                        .description(
                            "HTTP requests by method, matched route and status: latency"
                                + " histogram")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .tag("method", methodOf(ctx))
                        .tag("route", routeOf(ctx))
                        .tag("status", Integer.toString(ctx.statusCode()))
                        .register(deps.metrics())
                        .record(Duration.ofNanos((long) (ms * 1_000_000))));
          }
          routes(
              config.routes,
              api,
              log,
              stream,
              ssf,
              deps,
              json,
              forwarder,
              openApi,
              explorer,
              bodies);
          config.events.serverStopping(
              () -> {
                stream.close();
                if (deps.ssf() != null) {
                  deps.ssf().close();
                }
              });
        });
  }

  /** Least request data rate, bytes per second: a slower body is cut off with 408. */
  static final long MIN_REQUEST_DATA_RATE = 1024;

  /** How long a request's headers may take to arrive, in all. */
  static final long HEADER_DEADLINE_MS = 10_000;

  /** How long a request may wait for its next bytes. */
  static final long REQUEST_IDLE_TIMEOUT_MS = 10_000;

  /** Methods that get a metrics tag of their own; any other is "other", so tags stay few. */
  private static final java.util.Set<String> TAGGED_METHODS =
      java.util.Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE");

  private static String methodOf(Context ctx) {
    String method = ctx.method().name();
    return TAGGED_METHODS.contains(method) ? method : "other";
  }

  /** The route a request matched, for metrics; unmatched requests have none. */
  private static String routeOf(Context ctx) {
    try {
      return ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  private static void routes(
      io.javalin.config.RoutesConfig r,
      LedgerApi api,
      TransparencyApi log,
      StreamApi stream,
      SsfApi ssf,
      Deps deps,
      ObjectMapper json,
      HttpClient forwarder,
      String openApi,
      String explorer,
      BodyGate bodies) {
    r.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
    r.before(ctx -> refuseLargeBodies(ctx, deps.options()));
    r.before("/v1/*", ctx -> authorize(ctx, deps.options()));
    r.before("/v1/*", ctx -> route(ctx, deps, forwarder, bodies));
    r.before("/v1/*", ctx -> fresh(ctx, deps));
    r.before("/checkpoint", ctx -> authorize(ctx, deps.options()));
    r.before("/tile/*", ctx -> authorize(ctx, deps.options()));

    r.get("/v1/agents/{id}", api::getAgent);
    r.get("/v1/agents/{id}/entries", api::getEntries);
    r.get("/v1/sponsors/{id}", api::getSponsor);
    r.get("/v1/sponsors/{id}/agents", api::getSponsorAgents);
    r.post("/v1/verify", bodies.guard(api::verify));
    r.post("/v1/events", bodies.guard(api::postEvent));
    r.get("/v1/events/{subject}/{eventId}", api::getEventStatus);
    r.get("/v1/checkpoints", api::getCheckpoints);
    r.get("/v1/agents/{id}/receipt", log::receipt);
    r.get("/v1/ledger", log::ledger);
    r.get("/v1/log/inclusion", log::inclusion);
    r.get("/v1/log/consistency", log::consistency);
    r.get("/v1/log/witnesses", log::witnesses);
    r.get("/v1/log/entries", log::latestEntries);
    r.get("/v1/overview", api::getOverview);
    r.get("/v1/stream", stream::stream);
    r.post("/v1/ssf/poll", bodies.guard(ssf::poll));
    r.get("/v1/ssf/jwks", ssf::jwks);
    r.get("/.well-known/ssf-configuration", ssf::configuration);
    r.get("/checkpoint", log::checkpoint);
    r.get("/tile/<path>", log::tile);

    r.get("/healthz", ctx -> ctx.json(new Views.Health("ok")));
    r.get(
        "/readyz",
        ctx -> {
          Views.NodeInfo node = deps.node().get();
          if (!deps.ready().getAsBoolean()) {
            throw ApiException.unavailable(
                node.waitingFor() == null
                    ? "the ledger's stores are not running yet"
                    : "waiting: " + node.waitingFor(),
                2);
          }
          ctx.json(
              new Views.Ready(
                  "ready", node.role(), deps.ledgerSeq(), node.sequencer(), node.waitingFor()));
        });
    r.get(
        "/metrics",
        ctx -> {
          String token =
              deps.options().metricsToken().isEmpty()
                  ? deps.options().readToken()
                  : deps.options().metricsToken();
          requireBearer(ctx, token, "/metrics needs 'Authorization: Bearer <token>'");
          if (deps.metrics() == null) {
            throw ApiException.notFound("metrics on", "this node");
          }
          ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
              .result(deps.metrics().scrape());
        });
    r.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
    r.get(
        "/",
        ctx ->
            ctx.header(
                    "Content-Security-Policy",
                    "default-src 'self'; script-src 'self' 'unsafe-inline';"
                        + " style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                        + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .html(explorer));

    r.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, json, e));
    r.exception(
        InvalidStateStoreException.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                json,
                ApiException.unavailable("the ledger's stores are moving or restoring", 2)));
    r.exception(
        io.javalin.http.HttpResponseException.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                json,
                new ApiException(
                    e.getStatus(),
                    slug(e.getStatus()),
                    io.javalin.http.HttpStatus.forStatus(e.getStatus()).getMessage(),
                    e.getMessage(),
                    Map.of())));
    r.exception(
        Exception.class,
        (e, ctx) -> {
          HttpException http = httpCause(e);
          if (http != null) {
            // The client's fault, found by Jetty while reading the body (too slow, malformed).
            LOG.debug("{} {}: {}", ctx.method(), ctx.path(), http.getReason());
            Problems.write(
                ctx,
                json,
                new ApiException(
                    http.getCode(),
                    slug(http.getCode()),
                    HttpStatus.getMessage(http.getCode()),
                    http.getReason() == null
                        ? HttpStatus.getMessage(http.getCode())
                        : http.getReason(),
                    Map.of()));
            return;
          }
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          Problems.write(
              ctx,
              json,
              new ApiException(
                  500,
                  "internal",
                  "Internal error",
                  "the request failed; see the node's log",
                  Map.of()));
        });
    r.error(404, ctx -> fallback(ctx, json, "no route " + ctx.method() + " " + ctx.path()));
    r.error(
        405,
        ctx -> fallback(ctx, json, "method " + ctx.method() + " is not allowed on " + ctx.path()));
    r.error(
        413,
        ctx ->
            fallback(
                ctx, json, "request body larger than " + deps.options().maxBodyBytes() + " bytes"));
    r.error(408, ctx -> fallback(ctx, json, "the request body came too slowly"));
    r.error(500, ctx -> fallback(ctx, json, "the request failed; see the node's log"));
  }

  /** The Jetty status exception behind {@code e}, if a 4xx from the client's bytes caused it. */
  private static HttpException httpCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
        return h;
      }
    }
    return null;
  }

  /** Answers a status Javalin set itself (unknown route, wrong method, body too large). */
  private static void fallback(Context ctx, ObjectMapper json, String detail) {
    String type = ctx.res().getContentType();
    if (type != null && type.startsWith(Problems.MEDIA_TYPE)) {
      return;
    }
    int status = ctx.statusCode();
    Problems.write(
        ctx,
        json,
        new ApiException(
            status,
            slug(status),
            io.javalin.http.HttpStatus.forStatus(status).getMessage(),
            detail,
            Map.of()));
  }

  private static String slug(int status) {
    return switch (status) {
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 408 -> "request-timeout";
      case 413 -> "body-too-large";
      case 415 -> "unsupported-media-type";
      default -> "http-" + status;
    };
  }

  private static void authorize(Context ctx, ApiOptions options) {
    if (ctx.path().equals("/v1/events") && ctx.method() == HandlerType.POST) {
      return;
    }
    requireBearer(ctx, options.readToken(), "reads need 'Authorization: Bearer <token>'");
  }

  /** Requires {@code Authorization: Bearer <token>} (scheme in any case) when a token is set. */
  /**
   * Requires one of the comma-separated {@code tokens} as the bearer token; none configured leaves
   * the route open. Several tokens let an operator rotate one without a window of refusals: the new
   * token beside the old, clients moved, then the old one removed.
   */
  private static void requireBearer(Context ctx, String tokens, String detail) {
    java.util.List<String> accepted =
        java.util.Arrays.stream(tokens.split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .toList();
    if (accepted.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    String given = "";
    if (header != null && header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    }
    byte[] presented = given.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String token : accepted) {
      ok |= MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8));
    }
    if (!ok) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(401, "unauthorized", "Unauthorized", detail, Map.of());
    }
  }

  /** A declared body over the limit is refused before a byte of it is read (no 100 Continue). */
  private static void refuseLargeBodies(Context ctx, ApiOptions options) {
    long length = ctx.req().getContentLengthLong();
    if (length > options.maxBodyBytes()) {
      throw new ApiException(
          413,
          "body-too-large",
          "Content too large",
          "request body of " + length + " bytes, at most " + options.maxBodyBytes(),
          Map.of());
    }
  }

  /**
   * Reads are answered here, from the read model and the global stores every node has. Only the
   * event status needs the sequencer's stores: it is served here, forwarded to the node that holds
   * them, or answered 503.
   */
  private static void route(Context ctx, Deps deps, HttpClient forwarder, BodyGate bodies)
      throws Exception {
    if (ctx.method() != HandlerType.GET || !isEventStatus(ctx.path())) {
      return;
    }
    StoreLocator.Location location = deps.locator().locate();
    switch (location.kind()) {
      case LOCAL:
        return;
      case UNAVAILABLE:
        throw ApiException.unavailable(
            "the sequencer's stores, which hold the decisions, are being reassigned", 2);
      case REMOTE:
        if (ctx.header(FORWARDED_HEADER) != null) {
          throw ApiException.unavailable("the ledger's stores moved while forwarding", 1);
        }
        bodies.guard(c -> forward(c, location.baseUrl(), forwarder, deps)).handle(ctx);
        ctx.skipRemainingHandlers();
        return;
      default:
        throw new IllegalStateException();
    }
  }

  /** {@code /v1/events/{subject}/{event_id}}. */
  private static boolean isEventStatus(String path) {
    return path.startsWith("/v1/events/") && path.indexOf('/', "/v1/events/".length()) > 0;
  }

  /**
   * Read your writes: a read with {@code min_seq} (query) or {@code Ledger-Min-Seq} waits until
   * this node's read model reflects that ledger_seq, at most {@code http.min.seq.wait.ms}, then
   * answers 503 with Retry-After. Every read says which ledger_seq it reflects ({@code
   * Ledger-Seq}).
   */
  private static void fresh(Context ctx, Deps deps) throws InterruptedException {
    if (ctx.method() == HandlerType.POST && ctx.path().equals("/v1/events")) {
      return;
    }
    String given = ctx.queryParam("min_seq");
    if (given == null) {
      given = ctx.header(MIN_SEQ_HEADER);
    }
    if (given != null) {
      long min;
      try {
        min = Long.parseLong(given.trim());
      } catch (NumberFormatException e) {
        min = -2;
      }
      if (min < -1) {
        throw ApiException.badRequest(
            "invalid-parameter", "min_seq must be a ledger_seq (an integer from -1), not " + given);
      }
      if (!deps.awaitLedgerSeq(min, deps.minSeqWaitMs())) {
        long now = deps.ledgerSeq();
        throw new ApiException(
            503,
            "not-yet",
            "Not there yet",
            "this node reflects ledger_seq "
                + now
                + ", not yet "
                + min
                + " (waited "
                + deps.minSeqWaitMs()
                + " ms)",
            Map.of("retry_after", 1, "ledger_seq", now, "min_seq", min));
      }
    }
    ctx.header(SEQ_HEADER, Long.toString(deps.ledgerSeq()));
  }

  private static void forward(Context ctx, String baseUrl, HttpClient client, Deps deps)
      throws InterruptedException {
    String query = ctx.queryString();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(baseUrl + ctx.path() + (query == null ? "" : "?" + query)))
            .timeout(Duration.ofSeconds(10))
            .header(FORWARDED_HEADER, "1")
            .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
    for (String h : new String[] {"Authorization", "Content-Type", "Accept"}) {
      String v = ctx.header(h);
      if (v != null) {
        request.header(h, v);
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw ApiException.unavailable(
          "the node holding the stores (" + baseUrl + ") did not answer", 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while forwarding", 1);
    }
    java.util.Optional<String> decided = response.headers().firstValue(DECIDED_SEQ_HEADER);
    if (decided.isPresent()) {
      // The caller reads next from this node: answer once its read model shows the decision.
      long seq = Long.parseLong(decided.get());
      deps.awaitLedgerSeq(seq, deps.minSeqWaitMs());
      ctx.header(DECIDED_SEQ_HEADER, decided.get());
    }
    ctx.status(response.statusCode());
    response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
    response.headers().firstValue("Retry-After").ifPresent(v -> ctx.header("Retry-After", v));
    ctx.result(response.body());
  }

  private static String resource(String path) {
    try (InputStream in = ApiApp.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
