package dev.trustledger.api;

import static dev.trustledger.api.ApiRoutesTest.BOT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile requests, sent as raw bytes over a socket: every answer is a 4xx with an
 * RFC 9457 problem body in UTF-8 (a request that is not HTTP/1 at all may get 400, 426 or 505
 * without one), never a 500, and the server stays healthy after all of them.
 */
class HttpSweepTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Requests that are not HTTP/1.x at all: the connector answers them before any route runs, with a
   * status and no problem body.
   */
  private static final Set<String> PROTOCOL = Set.of("HTTP/2 preface", "HTTP/9.9", "no version");

  /** The exact status of probes where one status is right. */
  private static final Map<String, Integer> EXACT =
      Map.ofEntries(
          Map.entry("GET /nope", 404),
          Map.entry("PUT /healthz", 405),
          Map.entry("TRACE /", 405),
          Map.entry("verify: huge min_trust", 400),
          Map.entry("verify: 1e400", 400),
          Map.entry("verify: duplicate keys", 400),
          Map.entry("events: duplicate keys", 400),
          Map.entry("verify: deep nesting", 400),
          Map.entry("verify: text/plain", 415),
          Map.entry("verify: no content type", 415),
          Map.entry("events: text/plain", 415),
          Map.entry("100-continue, 1 MB", 413),
          Map.entry("body over the limit", 413),
          Map.entry("limit=999999", 400));

  private static Javalin app;
  private static PrometheusMeterRegistry metrics;
  private static int port;

  @BeforeAll
  static void start() {
    app =
        ApiRoutesTest.start(
            ApiRoutesTest.populated(),
            new ApiOptions(16 * 1024, "", List.of()),
            metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    port = app.port();
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  /** One hostile request: its name, the raw request, and whether its answer has a body. */
  record Probe(String name, byte[] request) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Probe raw(String name, String request) {
    return new Probe(name, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Probe get(String name, String path) {
    return raw(name, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  private static Probe method(String method, String path) {
    return raw(
        method + " " + path,
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  }

  private static Probe post(String name, String path, String contentType, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return new Probe(name, out.toByteArray());
  }

  private static Probe postJson(String name, String path, String json) {
    return post(name, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String verifyBody(String minTrust) {
    return "{\"agent_id\":\""
        + BOT_ID
        + "\",\"message\":\"aGk\",\"signature\":\""
        + "A".repeat(86)
        + "\",\"min_trust\":"
        + minTrust
        + "}";
  }

  static Stream<Probe> probes() {
    List<Probe> p = new ArrayList<>();
    // Unmatched routes.
    for (String path :
        List.of(
            "/nope",
            "/.env",
            "/v1",
            "/v1/",
            "/v1/agents",
            "/v1/agents/",
            "/admin",
            "/v1/agents/" + BOT_ID + "/x/y",
            "/%2e%2e/etc/passwd",
            "/v1/agents/..%2f..%2fetc",
            "/v1/%00",
            "/v1/agents/%ff%fe",
            "/" + "a".repeat(3000))) {
      p.add(get("GET " + path.substring(0, Math.min(40, path.length())), path));
    }
    // Every method on every kind of route.
    for (String m : List.of("PUT", "DELETE", "PATCH", "TRACE", "FOO", "OPTIONS", "HEAD")) {
      for (String path :
          List.of("/healthz", "/v1/agents/" + BOT_ID, "/v1/events", "/v1/verify", "/nope")) {
        if (m.equals("HEAD") && path.equals("/healthz")) {
          continue;
        }
        p.add(method(m, path));
      }
    }
    p.add(raw("TRACE /", "TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    p.add(raw("CONNECT", "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"));
    p.add(raw("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    p.add(raw("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    p.add(raw("HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"));
    p.add(raw("no version", "GET /healthz\r\nHost: x\r\n\r\n"));
    p.add(raw("garbage line", "\u0001\u0002\u0003 nonsense\r\n\r\n"));
    // Bad JSON and bad values.
    p.add(postJson("verify: not JSON", "/v1/verify", "{"));
    p.add(postJson("verify: array", "/v1/verify", "[]"));
    p.add(postJson("verify: string", "/v1/verify", "\"x\""));
    p.add(postJson("verify: number id", "/v1/verify", "{\"agent_id\":1}"));
    p.add(postJson("verify: huge min_trust", "/v1/verify", verifyBody("4294967346")));
    p.add(postJson("verify: 1e400", "/v1/verify", verifyBody("1e400")));
    p.add(postJson("verify: negative", "/v1/verify", verifyBody("-1")));
    p.add(postJson("verify: fraction", "/v1/verify", verifyBody("1.5")));
    p.add(postJson("verify: string min_trust", "/v1/verify", verifyBody("\"50\"")));
    p.add(
        postJson(
            "verify: duplicate keys",
            "/v1/verify",
            "{\"agent_id\":\"x\",\"agent_id\":\""
                + BOT_ID
                + "\",\"message\":\"aGk\",\"signature\":\"aGk\"}"));
    p.add(postJson("verify: deep nesting", "/v1/verify", "[".repeat(5000) + "]".repeat(5000)));
    p.add(
        post(
            "verify: invalid UTF-8",
            "/v1/verify",
            "application/json",
            new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}));
    p.add(postJson("events: not an event", "/v1/events", "{\"event_id\":\"x\"}"));
    p.add(postJson("events: unknown member", "/v1/events", "{\"nope\":1}"));
    p.add(
        postJson(
            "events: duplicate keys", "/v1/events", "{\"event_id\":\"a\",\"event_id\":\"b\"}"));
    p.add(
        post(
            "events: avro garbage",
            "/v1/events",
            "application/octet-stream",
            new byte[] {1, 2, 3}));
    // Wrong content types.
    p.add(
        post(
            "verify: text/plain",
            "/v1/verify",
            "text/plain",
            verifyBody("50").getBytes(StandardCharsets.UTF_8)));
    p.add(
        post(
            "verify: no content type",
            "/v1/verify",
            null,
            verifyBody("50").getBytes(StandardCharsets.UTF_8)));
    p.add(
        post(
            "verify: xml",
            "/v1/verify",
            "application/xml",
            "<a/>".getBytes(StandardCharsets.UTF_8)));
    p.add(
        post(
            "events: text/plain",
            "/v1/events",
            "text/plain",
            "x".getBytes(StandardCharsets.UTF_8)));
    p.add(
        post(
            "events: form",
            "/v1/events",
            "application/x-www-form-urlencoded",
            "a=b".getBytes(StandardCharsets.UTF_8)));
    // Absurd headers and framing.
    p.add(
        raw(
            "20 KB header",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"));
    StringBuilder many = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 2000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    p.add(raw("2,000 headers", many.append("\r\n").toString()));
    p.add(raw("header without colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n"));
    p.add(
        raw(
            "negative length",
            "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"));
    p.add(
        raw(
            "letters as length",
            "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"));
    p.add(
        raw(
            "two lengths",
            "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab"));
    p.add(
        raw(
            "unknown transfer encoding",
            "POST /v1/verify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"));
    p.add(
        raw(
            "100-continue, 1 MB",
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n"));
    p.add(
        raw(
            "body over the limit",
            "POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: 20000\r\n\r\n"
                + "{".repeat(20_000)));
    p.add(
        raw(
            "bearer in lower case, reads open",
            "GET /nope HTTP/1.1\r\nHost: x\r\nAuthorization: bearer x\r\nConnection: close\r\n\r\n"));
    // Parameters.
    p.add(get("from_seq=-1", "/v1/agents/" + BOT_ID + "/entries?from_seq=-1"));
    p.add(get("limit=999999", "/v1/agents/" + BOT_ID + "/entries?limit=999999"));
    p.add(get("limit=abc", "/v1/agents/" + BOT_ID + "/entries?limit=abc"));
    p.add(get("after=bad", "/v1/sponsors/" + ApiRoutesTest.ACME_ID + "/agents?after=bad"));
    p.add(get("event_hash=zz", "/v1/events/" + BOT_ID + "/r1?event_hash=zz"));
    p.add(get("bad event id", "/v1/events/" + BOT_ID + "/has%20space"));
    p.add(get("bad subject", "/v1/events/nobody/e1"));
    return p.stream();
  }

  @Test
  void theSweepHasAtLeastSixtyRequests() {
    assertThat(probes()).hasSizeGreaterThanOrEqualTo(60);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("probes")
  void answersWithAProblemNeverA500(Probe probe) throws Exception {
    Answer a = send(probe.request());
    assertThat(a.status()).as(a.toString()).isNotEqualTo(500);
    if (PROTOCOL.contains(probe.name())) {
      assertThat(a.status()).as(a.toString()).isIn(400, 426, 505);
    } else if (probe.name().startsWith("HEAD ")) {
      assertThat(a.status()).as(a.toString()).isIn(200, 400, 404, 405);
      assertThat(a.body()).isEmpty();
    } else {
      assertThat(a.status()).as("4xx: " + a).isBetween(400, 499);
      if (EXACT.containsKey(probe.name())) {
        assertThat(a.status()).as(a.toString()).isEqualTo(EXACT.get(probe.name()));
      }
      assertThat(a.contentType()).as(a.toString()).startsWith("application/problem+json");
      JsonNode body = JSON.readTree(utf8(a.body()));
      assertThat(body.get("status").asInt()).isEqualTo(a.status());
      assertThat(body.get("type").asText()).startsWith("urn:trustledger:problem:");
      assertThat(body.get("detail").asText()).doesNotContain("Exception").doesNotContain("java.");
    }
    Answer health = send(get("healthz", "/healthz").request());
    assertThat(health.status()).isEqualTo(200);
  }

  @Test
  void madeUpMethodsAndPathsDoNotGrowTheMetrics() throws Exception {
    for (int i = 0; i < 50; i++) {
      send(method("M" + i, "/x" + i).request());
    }
    var timers = metrics.find("ledger.http.requests").timers();
    assertThat(timers.stream().map(t -> t.getId().getTag("method")).distinct())
        .doesNotContain("M1")
        .contains("other");
    assertThat(timers.stream().map(t -> t.getId().getTag("route")).distinct())
        .doesNotContain("/x1");
    assertThat(timers).hasSizeLessThan(60);
  }

  @Test
  void headOfHealthzIsAnsweredWithoutABody() throws Exception {
    Answer a =
        send(
            raw("HEAD /healthz", "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .request());
    assertThat(a.status()).isIn(200, 405);
    assertThat(a.body()).isEmpty();
  }

  @Test
  void problemBodiesAreUtf8() throws Exception {
    Answer a = send(get("unicode", "/v1/agents/agt_%C3%B1%E2%98%83").request());
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType().toLowerCase(Locale.ROOT)).contains("charset=utf-8");
    assertThat(utf8(a.body())).contains("ñ☃");
  }

  private static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** A raw HTTP answer. */
  record Answer(int status, String contentType, byte[] body) {
    @Override
    public String toString() {
      return status + " " + contentType + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Sends raw bytes and reads the first answer (until Content-Length, or until closed). */
  static Answer send(byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before it reads everything.
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      int state = 0;
      while (state < 4 && (b = in.read()) != -1) {
        head.write(b);
        state =
            (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                ? state + 1
                : (b == '\r' ? 1 : 0);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      if (status == 100) {
        return send100(lines, in);
      }
      String contentType = "";
      int length = -1;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-type:")) {
          contentType = line.substring(13).trim();
        } else if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      boolean head_ = new String(request, 0, 5, StandardCharsets.ISO_8859_1).startsWith("HEAD");
      byte[] body = head_ ? new byte[0] : length >= 0 ? in.readNBytes(length) : in.readAllBytes();
      return new Answer(status, contentType, body);
    }
  }

  private static Answer send100(String[] lines, InputStream in) {
    return new Answer(
        100,
        "",
        ("got 100 Continue: " + String.join(" | ", lines)).getBytes(StandardCharsets.UTF_8));
  }
}
