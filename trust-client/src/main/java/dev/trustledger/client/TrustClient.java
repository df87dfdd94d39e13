package dev.trustledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Answers "may this agent act?" in-process, from a local copy of the ledger's agents that follows a
 * node's change stream ({@code GET /v1/stream}, Server-Sent Events). It checks the agent's
 * signature over a message, its effective status, its expiry, its capabilities and its trust
 * (computed at the time of the question, so trust decays as it does on the ledger), and it fails
 * closed: when it has heard nothing from the node for longer than the configured staleness, every
 * answer is {@link Reason#STALE}.
 *
 * <pre>{@code
 * try (TrustClient trust = TrustClient.builder(URI.create("http://ledger:8080"))
 *     .maxStaleness(Duration.ofSeconds(3))
 *     .build()) {
 *   trust.awaitReady(Duration.ofSeconds(10));
 *   TrustClient.Answer a = trust.check(agentId, requestBytes, signature, 50, List.of("docs:read"));
 *   if (!a.allowed()) {
 *     return deny(a.reason());
 *   }
 * }
 * }</pre>
 */
public final class TrustClient implements AutoCloseable {

  /** Why an agent may or may not act. */
  public enum Reason {
    OK,
    /** No such agent (or not yet seen). */
    UNKNOWN_AGENT,
    /** The signature does not verify with the agent's key. */
    BAD_SIGNATURE,
    /** Suspended, or suspended through a parent or its sponsor. */
    SUSPENDED,
    REVOKED,
    EXPIRED,
    /** Its effective trust score is below the minimum asked. */
    LOW_TRUST,
    /** It lacks a capability asked for. */
    CAPABILITY_MISSING,
    /** The client has heard nothing from the ledger for longer than its staleness bound. */
    STALE
  }

  /**
   * An answer.
   *
   * @param reason why
   * @param trustScore the agent's effective trust score, 0..100, at the time of the question (-1
   *     when unknown)
   * @param ledgerSeq the ledger_seq of the latest change the client applied
   */
  public record Answer(Reason reason, int trustScore, long ledgerSeq) {
    public boolean allowed() {
      return reason == Reason.OK;
    }
  }

  /** The ledger's trust parameters (docs/spec.md section 8). */
  record Params(
      double prior, double priorWeight, long evidenceHalfLifeMs, long inactivityHalfLifeMs) {}

  /** What the client keeps of one agent. */
  record Agent(
      String id,
      String status,
      byte[] publicKey,
      String parentAgentId,
      Set<String> capabilities,
      Long expiresAt,
      double positive,
      double negative,
      long evidenceTime,
      long activityTime) {}

  private static final byte[] MESSAGE_DOMAIN =
      "trustledger/v1/message\n".getBytes(StandardCharsets.US_ASCII);

  private final URI base;
  private final String readToken;
  private final Duration maxStaleness;
  private final Clock clock;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Agent> agents = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread follower;
  private volatile Params params;
  private volatile long lastHeardNanos;
  private volatile long ledgerSeq = -1;
  private volatile String lastEventId;
  private volatile boolean closed;
  private volatile InputStream body;

  private TrustClient(Builder b) {
    this.base = b.base;
    this.readToken = b.readToken;
    this.maxStaleness = b.maxStaleness;
    this.clock = b.clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.follower = new Thread(this::follow, "trust-client-follower");
    this.follower.setDaemon(true);
  }

  public static Builder builder(URI node) {
    return new Builder(node);
  }

  /** Settings of a client. */
  public static final class Builder {
    private final URI base;
    private String readToken = "";
    private Duration maxStaleness = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    private Builder(URI base) {
      this.base = Objects.requireNonNull(base);
    }

    /** The node's read token ({@code http.read.token}), if it has one. */
    public Builder readToken(String token) {
      this.readToken = Objects.requireNonNull(token);
      return this;
    }

    /**
     * How long the client answers without hearing from the node (an event or a heartbeat, which the
     * node sends at a quarter of this); after that every answer is STALE until it hears again.
     */
    public Builder maxStaleness(Duration staleness) {
      if (staleness.toMillis() < 1000) {
        throw new IllegalArgumentException("maxStaleness must be at least 1 s");
      }
      this.maxStaleness = staleness;
      return this;
    }

    /** The clock trust is computed at (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Builds the client and starts following the node. */
    public TrustClient build() {
      TrustClient c = new TrustClient(this);
      c.follower.start();
      return c;
    }
  }

  /** Waits until the client has the ledger's state as of its first connection. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * May {@code agentId} act: did it sign {@code message} ({@code signature}, 64 bytes, over
   * "trustledger/v1/message\n" || message), is it active and unexpired, does it hold {@code
   * required} capabilities, and is its effective trust score at least {@code minTrust}?
   */
  public Answer check(
      String agentId, byte[] message, byte[] signature, int minTrust, List<String> required) {
    long seq = ledgerSeq;
    if (stale()) {
      return new Answer(Reason.STALE, -1, seq);
    }
    Agent agent = agents.get(agentId);
    Params p = params;
    if (agent == null || p == null) {
      return new Answer(Reason.UNKNOWN_AGENT, -1, seq);
    }
    if (!verify(agent.publicKey(), message, signature)) {
      return new Answer(Reason.BAD_SIGNATURE, -1, seq);
    }
    long now = clock.millis();
    int score = (int) Math.floor(100 * effectiveTrust(agent, now, p) + 0.5);
    if (agent.status().equals("revoked")) {
      return new Answer(Reason.REVOKED, 0, seq);
    }
    if (!agent.status().equals("active")) {
      return new Answer(Reason.SUSPENDED, score, seq);
    }
    if (agent.expiresAt() != null && agent.expiresAt() <= now) {
      return new Answer(Reason.EXPIRED, score, seq);
    }
    if (required != null && !agent.capabilities().containsAll(required)) {
      return new Answer(Reason.CAPABILITY_MISSING, score, seq);
    }
    if (score < minTrust) {
      return new Answer(Reason.LOW_TRUST, score, seq);
    }
    return new Answer(Reason.OK, score, seq);
  }

  /** True when the client has not heard from the node within its staleness bound. */
  public boolean stale() {
    long heard = lastHeardNanos;
    return heard == 0 || System.nanoTime() - heard > maxStaleness.toNanos();
  }

  /** The ledger_seq of the latest change applied (-1: none). */
  public long ledgerSeq() {
    return ledgerSeq;
  }

  private static boolean verify(byte[] key, byte[] message, byte[] signature) {
    if (signature == null || signature.length != 64 || key == null || key.length != 32) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(key, 0));
    verifier.update(MESSAGE_DOMAIN, 0, MESSAGE_DOMAIN.length);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  /** min(own trust, parent's effective trust), up the parent chain; 0 for a revoked agent. */
  private double effectiveTrust(Agent agent, long now, Params p) {
    double effective = trust(agent, now, p);
    Set<String> seen = new HashSet<>();
    String parent = agent.parentAgentId();
    while (parent != null && seen.add(parent)) {
      Agent a = agents.get(parent);
      if (a == null) {
        break;
      }
      effective = Math.min(effective, trust(a, now, p));
      parent = a.parentAgentId();
    }
    return effective;
  }

  /** The trust of docs/spec.md section 8 at {@code now}. */
  static double trust(Agent a, long now, Params p) {
    if (a.status().equals("revoked")) {
      return 0;
    }
    double d = decay(now - a.evidenceTime(), p.evidenceHalfLifeMs());
    double r = a.positive() * d;
    double s = a.negative() * d;
    double prior = p.prior() * decay(now - a.activityTime(), p.inactivityHalfLifeMs());
    double k = p.priorWeight();
    return (r + k * prior) / (r + s + k);
  }

  private static double decay(long elapsedMs, long halfLifeMs) {
    if (elapsedMs <= 0) {
      return 1.0;
    }
    return Math.pow(2.0, -((double) elapsedMs / (double) halfLifeMs));
  }

  /** Follows the stream, reconnecting with Last-Event-ID after a pause that grows to 5 s. */
  private void follow() {
    long pauseMs = 250;
    while (!closed) {
      try {
        stream();
        pauseMs = 250;
      } catch (IOException | RuntimeException e) {
        // reconnect below
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        return;
      }
      pauseMs = Math.min(5000, pauseMs * 2);
    }
  }

  private void stream() throws IOException, InterruptedException {
    String query =
        "/v1/stream?heartbeat_ms="
            + Math.min(8000, Math.max(250, maxStaleness.toMillis() / 4))
            + (lastEventId == null ? "&from=beginning" : "");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(query)).header("Accept", "text/event-stream");
    if (!readToken.isEmpty()) {
      request.header("Authorization", "Bearer " + readToken);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException("the node answered " + response.statusCode());
    }
    body = response.body();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      StringBuilder data = new StringBuilder();
      String line;
      while (!closed && (line = lines.readLine()) != null) {
        lastHeardNanos = System.nanoTime();
        if (line.isEmpty()) {
          if (data.length() > 0) {
            apply(json.readTree(data.toString()));
            if (id != null) {
              lastEventId = id;
            }
          }
          id = null;
          data.setLength(0);
        } else if (line.startsWith(":")) {
          // A heartbeat, or the mark after the backlog: the client has the state as of now.
          if (line.startsWith(": caught-up") || line.startsWith(":caught-up")) {
            caughtUp.countDown();
          }
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    }
  }

  private void apply(JsonNode e) {
    if (e.hasNonNull("ledger_seq")) {
      ledgerSeq = Math.max(ledgerSeq, e.get("ledger_seq").asLong());
    }
    String kind = e.path("kind").asText();
    if (kind.equals("ledger")) {
      JsonNode t = e.path("trust_params");
      params =
          new Params(
              t.path("prior").asDouble(),
              t.path("prior_weight").asDouble(),
              t.path("evidence_half_life_ms").asLong(),
              t.path("inactivity_half_life_ms").asLong());
      return;
    }
    if (!kind.equals("agent")) {
      return;
    }
    JsonNode ev = e.path("evidence");
    List<String> caps = new ArrayList<>();
    e.path("effective_capabilities").forEach(c -> caps.add(c.asText()));
    agents.put(
        e.path("id").asText(),
        new Agent(
            e.path("id").asText(),
            e.path("status").asText(),
            Base64.getUrlDecoder().decode(e.path("public_key").asText()),
            e.hasNonNull("parent_agent_id") ? e.get("parent_agent_id").asText() : null,
            Set.copyOf(caps),
            e.hasNonNull("expires_at") ? e.get("expires_at").asLong() : null,
            ev.path("positive").asDouble(),
            ev.path("negative").asDouble(),
            ev.path("evidence_time").asLong(),
            ev.path("activity_time").asLong()));
  }

  /** Stops following the node; later answers are STALE once the bound passes. */
  @Override
  public void close() {
    closed = true;
    InputStream b = body;
    if (b != null) {
      try {
        b.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    follower.interrupt();
  }
}
