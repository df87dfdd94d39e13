package dev.trustledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.ledger.read.LedgerReader;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the HTTP API from its dependencies, not started: {@code ApiApp.create(deps).start(port)}.
 * Every route is registered in {@link #routes}; every error leaves as RFC 9457 problem+json.
 */
public final class ApiApp {
  private static final Logger LOG = LoggerFactory.getLogger(ApiApp.class);
  static final String FORWARDED_HEADER = "X-Ledger-Forwarded";

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
      ApiOptions options) {}

  private ApiApp() {}

  /** The JSON mapper of the API: snake_case names. */
  public static ObjectMapper mapper() {
    return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  }

  public static Javalin create(Deps deps) {
    ObjectMapper json = mapper();
    LedgerApi api =
        new LedgerApi(
            deps.reader(), deps.keys(), deps.sink(), deps.avroEvents(), deps.clock(), json);
    HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String openApi = resource("/openapi.yaml");
    String explorer = resource("/explorer.html");
    return Javalin.create(
        config -> {
          config.jsonMapper(new JavalinJackson(json, false));
          config.http.maxRequestSize = deps.options().maxBodyBytes();
          config.http.prefer405over404 = true;
          config.startup.showJavalinBanner = false;
          config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
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
                        .tag("method", ctx.method().name())
                        .tag("route", ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path)
                        .tag("status", Integer.toString(ctx.statusCode()))
                        .register(deps.metrics())
                        .record(Duration.ofNanos((long) (ms * 1_000_000))));
          }
          routes(config.routes, api, deps, json, forwarder, openApi, explorer);
        });
  }

  private static void routes(
      io.javalin.config.RoutesConfig r,
      LedgerApi api,
      Deps deps,
      ObjectMapper json,
      HttpClient forwarder,
      String openApi,
      String explorer) {
    r.before("/v1/*", ctx -> authorize(ctx, deps.options()));
    r.before("/v1/*", ctx -> route(ctx, deps.locator(), forwarder));

    r.get("/v1/agents/{id}", api::getAgent);
    r.get("/v1/agents/{id}/entries", api::getEntries);
    r.get("/v1/sponsors/{id}", api::getSponsor);
    r.get("/v1/sponsors/{id}/agents", api::getSponsorAgents);
    r.post("/v1/verify", api::verify);
    r.post("/v1/events", api::postEvent);
    r.get("/v1/events/{subject}/{eventId}", api::getEventStatus);
    r.get("/v1/checkpoints", api::getCheckpoints);

    r.get("/healthz", ctx -> ctx.json(new Views.Health("ok")));
    r.get(
        "/readyz",
        ctx -> {
          if (!deps.ready().getAsBoolean()) {
            throw ApiException.unavailable("the ledger's stores are not running yet", 2);
          }
          ctx.json(new Views.Health("ready"));
        });
    r.get(
        "/metrics",
        ctx -> {
          if (deps.metrics() == null) {
            throw ApiException.notFound("metrics on", "this node");
          }
          ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
              .result(deps.metrics().scrape());
        });
    r.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
    r.get("/", ctx -> ctx.html(explorer));

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
      case 413 -> "body-too-large";
      case 415 -> "unsupported-media-type";
      default -> "http-" + status;
    };
  }

  private static void authorize(Context ctx, ApiOptions options) {
    if (options.readToken().isEmpty()
        || ctx.path().equals("/v1/events") && ctx.method() == HandlerType.POST) {
      return;
    }
    String header = ctx.header("Authorization");
    String want = "Bearer " + options.readToken();
    if (header == null
        || !MessageDigest.isEqual(
            header.getBytes(StandardCharsets.UTF_8), want.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401,
          "unauthorized",
          "Unauthorized",
          "reads need 'Authorization: Bearer <token>'",
          Map.of());
    }
  }

  /** Serves here, forwards to the node that holds the stores, or answers 503. */
  private static void route(Context ctx, StoreLocator locator, HttpClient forwarder) {
    if (ctx.path().equals("/v1/events") && ctx.method() == HandlerType.POST) {
      return;
    }
    StoreLocator.Location location = locator.locate();
    switch (location.kind()) {
      case LOCAL:
        return;
      case UNAVAILABLE:
        throw ApiException.unavailable("the ledger's stores are being reassigned", 2);
      case REMOTE:
        if (ctx.header(FORWARDED_HEADER) != null) {
          throw ApiException.unavailable("the ledger's stores moved while forwarding", 1);
        }
        forward(ctx, location.baseUrl(), forwarder);
        ctx.skipRemainingHandlers();
        return;
      default:
        throw new IllegalStateException();
    }
  }

  private static void forward(Context ctx, String baseUrl, HttpClient client) {
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
