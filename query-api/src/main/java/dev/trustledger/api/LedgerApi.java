package dev.trustledger.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.EntryRef;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.OutcomeStatus;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedOutcome;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.EventIds;
import dev.trustledger.event.Messages;
import dev.trustledger.event.Outcomes;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.json.AvroJson;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.DecisionStatus;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's handlers: one method each, reading through {@link LedgerReader}. */
final class LedgerApi {
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  static final int DEFAULT_MIN_TRUST = 50;
  private static final Set<String> VERIFY_FIELDS =
      Set.of("agent_id", "message", "signature", "min_trust", "required_capabilities");
  private static final Logger LOG = LoggerFactory.getLogger(LedgerApi.class);

  /**
   * Parses request bodies strictly: a member named twice is an error (not "the last wins"), and
   * nesting is bounded.
   */
  private static final ObjectMapper STRICT =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
              .build());

  private final LedgerReader reader;
  private final KeyDirectory keys;
  private final EventSink sink;
  private final WireFormat<SignedEvent> avroEvents;
  private final Clock clock;
  private final ObjectMapper json;
  private final AgentViews agents;
  private final TransparencyApi log;
  private final KeyRing ledgerKeys;
  private final String ledgerId;
  private final EventVerifier verifier = new EventVerifier(new PublicKeyCache(10_000));
  private final PublicKeyCache agentKeys = new PublicKeyCache(100_000);
  private final ApiApp.Deps deps;

  LedgerApi(
      LedgerReader reader,
      KeyDirectory keys,
      EventSink sink,
      WireFormat<SignedEvent> avroEvents,
      Clock clock,
      ObjectMapper json,
      TransparencyApi log,
      KeyRing ledgerKeys,
      ApiApp.Deps deps) {
    this.deps = deps;
    this.log = log;
    this.ledgerKeys = ledgerKeys;
    this.ledgerId = PrincipalIds.of(PrincipalKind.LEDGER, ledgerKeys.identity().publicKey().raw());
    this.reader = reader;
    this.keys = keys;
    this.sink = sink;
    this.avroEvents = avroEvents;
    this.clock = clock;
    this.json = json;
    this.agents = new AgentViews(reader);
  }

  void getAgent(Context ctx) {
    String id = principalId(ctx, "id", PrincipalKind.AGENT);
    Views.Agent agent =
        agents.agent(id, clock.millis()).orElseThrow(() -> ApiException.notFound("agent", id));
    String proof = ctx.queryParam("proof");
    if (proof == null || proof.equals("false")) {
      ctx.json(agent);
      return;
    }
    if (!proof.equals("true")) {
      throw ApiException.badRequest("invalid-parameter", "proof must be true or false");
    }
    ObjectNode body = json.valueToTree(agent);
    body.set("proof", log.agentProof(reader.principal(id).orElseThrow()));
    ctx.json(body);
  }

  void getEntries(Context ctx) {
    String id = ctx.pathParam("id");
    if (PrincipalIds.kindOf(id).isEmpty()) {
      throw ApiException.badRequest("invalid-id", "'" + id + "' is not a principal id");
    }
    long from = longParam(ctx, "from_seq", 0, 0, Long.MAX_VALUE - 1);
    int limit = (int) longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    if (reader.principal(id).isEmpty() && !isLedger(id)) {
      throw ApiException.notFound("chain of", id);
    }
    List<LedgerEntry> entries = reader.entries(id, from, limit);
    ObjectNode body = json.createObjectNode().put("subject_id", id);
    ArrayNode list = body.putArray("entries");
    for (LedgerEntry e : entries) {
      list.add(AvroJson.toJson(e));
    }
    if (entries.size() == limit) {
      body.put("next_from_seq", entries.get(entries.size() - 1).getSeq() + 1);
    } else {
      body.putNull("next_from_seq");
    }
    ctx.json(body);
  }

  void getSponsor(Context ctx) {
    String id = principalId(ctx, "id", PrincipalKind.SPONSOR);
    PrincipalState p =
        reader
            .principal(id)
            .filter(s -> s.getKind() == PrincipalKind.SPONSOR)
            .orElseThrow(() -> ApiException.notFound("sponsor", id));
    ctx.json(
        new Views.Sponsor(
            id,
            p.getName(),
            p.getContact(),
            AgentViews.status(p.getStatus()),
            Base64Url.encode(Buffers.toArray(p.getPublicKey())),
            p.getCreatedAt(),
            AgentViews.chain(p)));
  }

  private volatile Views.Overview overview;

  /**
   * {@code GET /v1/overview}: sponsors and agents by status, counted over the directory at most
   * every 5 s (the explorer's first page).
   */
  void getOverview(Context ctx) {
    ctx.json(overview(clock.millis()));
  }

  /** The counts, scanned by one request at a time when the last scan is older than 5 s. */
  private synchronized Views.Overview overview(long now) {
    Views.Overview cached = overview;
    if (cached == null || now - cached.asOf() > 5_000) {
      Map<String, Long> agents = new java.util.TreeMap<>();
      Map<String, Long> sponsors = new java.util.TreeMap<>();
      for (String s : List.of("active", "suspended", "revoked")) {
        agents.put(s, 0L);
        sponsors.put(s, 0L);
      }
      String after = null;
      while (true) {
        List<PrincipalState> page = reader.principals(after, 1000);
        for (PrincipalState p : page) {
          Map<String, Long> counts = p.getKind() == PrincipalKind.AGENT ? agents : sponsors;
          counts.merge(AgentViews.status(p.getStatus()), 1L, Long::sum);
        }
        if (page.size() < 1000) {
          break;
        }
        after = page.get(page.size() - 1).getId();
      }
      long next = reader.head().map(h -> h.getNextLedgerSeq()).orElse(0L);
      cached = new Views.Overview(agents, sponsors, next, now);
      overview = cached;
    }
    return cached;
  }

  void getSponsorAgents(Context ctx) {
    String id = principalId(ctx, "id", PrincipalKind.SPONSOR);
    String after = ctx.queryParam("after");
    if (after != null && !PrincipalIds.isWellFormed(after, PrincipalKind.AGENT)) {
      throw ApiException.badRequest("invalid-parameter", "after must be an agent id");
    }
    int limit = (int) longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    if (reader.principal(id).isEmpty()) {
      throw ApiException.notFound("sponsor", id);
    }
    List<String> page = reader.children(id, after, limit);
    ctx.json(
        new Views.AgentPage(id, page, page.size() == limit ? page.get(page.size() - 1) : null));
  }

  void verify(Context ctx) {
    requireJson(ctx);
    JsonNode body = jsonBody(ctx);
    String agentId = text(body, "agent_id");
    byte[] message = base64(body, "message");
    byte[] signature = base64(body, "signature");
    int minTrust = DEFAULT_MIN_TRUST;
    JsonNode min = body.get("min_trust");
    if (min != null && !min.isNull()) {
      if (!min.isIntegralNumber()
          || !min.canConvertToInt()
          || min.asInt() < 0
          || min.asInt() > 100) {
        throw ApiException.badRequest("invalid-json", "/min_trust: must be an integer 0..100");
      }
      minTrust = min.asInt();
    }
    List<String> required = new ArrayList<>();
    JsonNode caps = body.get("required_capabilities");
    if (caps != null && !caps.isNull()) {
      if (!caps.isArray() || caps.size() > 64) {
        throw ApiException.badRequest(
            "invalid-json", "/required_capabilities: must be an array of at most 64 strings");
      }
      for (int i = 0; i < caps.size(); i++) {
        JsonNode c = caps.get(i);
        if (!c.isTextual() || c.asText().isEmpty() || c.asText().length() > 128) {
          throw ApiException.badRequest(
              "invalid-json",
              "/required_capabilities/" + i + ": must be a string of 1 to 128 characters");
        }
        required.add(c.asText());
      }
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!VERIFY_FIELDS.contains(name)) {
        throw ApiException.badRequest("invalid-json", "/" + name + ": is not a field of a check");
      }
    }
    if (!PrincipalIds.isWellFormed(agentId, PrincipalKind.AGENT)) {
      throw ApiException.badRequest("invalid-json", "/agent_id: is not an agent id");
    }
    Optional<Views.Agent> found = agents.agent(agentId, clock.millis());
    if (found.isEmpty()) {
      ctx.json(new Views.VerifyResult(false, false, null, null, "unknown_agent"));
      return;
    }
    Views.Agent agent = found.get();
    Ed25519PublicKey key = agentKeys.get(Base64Url.decode(agent.publicKey()));
    boolean verified = Messages.verify(key, message, signature);
    List<String> missing =
        required.stream()
            .filter(c -> !agent.effectiveCapabilities().contains(c))
            .distinct()
            .toList();
    String reason;
    if (!verified) {
      reason = "bad_signature";
    } else if (!agent.status().equals("active")) {
      reason = agent.status();
    } else if (agent.expired()) {
      reason = "expired";
    } else if (!missing.isEmpty()) {
      reason = "capability_missing";
    } else if (agent.effectiveTrustScore() < minTrust) {
      reason = "below_min_trust";
    } else {
      reason = "ok";
    }
    ctx.json(
        new Views.VerifyResult(
            verified,
            reason.equals("ok"),
            agent.status(),
            agent.effectiveTrustScore(),
            reason,
            agent.statusCause(),
            missing));
  }

  /**
   * The key the ledger signs with now: the one it published for itself on ledger.keys (its genesis
   * key until it rotates it), which this node must hold; the genesis key before the genesis.
   */
  private Ed25519PrivateKey signingKey() {
    Optional<byte[]> current = keys.key(ledgerId);
    if (current.isEmpty()) {
      return ledgerKeys.identity();
    }
    return ledgerKeys
        .find(current.get())
        .orElseThrow(
            () ->
                ApiException.unavailable(
                    "the ledger's key was rotated to one this node does not hold (add it to "
                        + "ledger.next.key.files)",
                    30));
  }

  void postEvent(Context ctx) {
    SignedEvent event = eventBody(ctx);
    byte[] key =
        keys.key(event.getSignerId())
            .orElseThrow(
                () ->
                    ApiException.unprocessable(
                        "unknown-signer",
                        "Unknown signer",
                        "no admin or registered principal " + event.getSignerId()));
    Optional<Rejected> rejected = verifier.verify(event, key);
    if (rejected.isPresent()) {
      Rejected r = rejected.get();
      throw new ApiException(
          422,
          r.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          "Event refused",
          r.detail(),
          Map.of("reason", r.reason().name().toLowerCase(Locale.ROOT)));
    }
    try {
      sink.publish(event).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while publishing", 1);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("publishing event {} failed", event.getEventId(), e);
      throw ApiException.unavailable("the event could not be written to Kafka; retry", 5);
    }
    byte[] eventHash = EventHashes.of(event);
    long received = clock.millis();
    UnsignedOutcome outcome =
        UnsignedOutcome.newBuilder()
            .setLedgerId(ledgerId)
            .setEventHash(ByteBuffer.wrap(eventHash))
            .setSubjectId(event.getSubjectId())
            .setEventId(event.getEventId())
            .setStatus(OutcomeStatus.RECEIVED)
            .setLedgerSeq(-1)
            .setTime(received)
            .build();
    ctx.status(202)
        .json(
            new Views.Accepted(
                event.getEventId(),
                event.getSubjectId(),
                "/v1/events/"
                    + event.getSubjectId()
                    + "/"
                    + encode(event.getEventId())
                    + "?event_hash="
                    + Hex.encode(eventHash),
                Hex.encode(eventHash),
                ledgerId,
                received,
                Base64Url.encode(Outcomes.sign(outcome, signingKey()))));
  }

  void getEventStatus(Context ctx) {
    String subject = ctx.pathParam("subject");
    String eventId = ctx.pathParam("eventId");
    if (PrincipalIds.kindOf(subject).isEmpty()) {
      throw ApiException.badRequest("invalid-id", "'" + subject + "' is not a principal id");
    }
    if (!EventIds.isValid(eventId)) {
      throw ApiException.badRequest(
          "invalid-id", "event id must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    byte[] wanted = null;
    String hashParam = ctx.queryParam("event_hash");
    if (hashParam != null) {
      try {
        wanted = Hex.decode(hashParam);
      } catch (IllegalArgumentException e) {
        wanted = null;
      }
      if (wanted == null || wanted.length != 32) {
        throw ApiException.badRequest(
            "invalid-parameter", "event_hash must be 64 lowercase hex digits");
      }
    }
    List<Decision> decisions = reader.decisions(subject, eventId);
    Decision chosen = null;
    for (Decision d : decisions) {
      boolean matches = wanted == null || Arrays.equals(Buffers.toArray(d.getEventHash()), wanted);
      if (matches && (chosen == null || d.getStatus() == DecisionStatus.ACCEPTED)) {
        chosen = d;
      }
      if (matches && wanted == null && d.getStatus() == DecisionStatus.ACCEPTED) {
        break;
      }
    }
    List<Views.Decided> others = new ArrayList<>();
    for (Decision d : decisions) {
      if (d != chosen) {
        others.add(decided(subject, eventId, d));
      }
    }
    if (chosen == null) {
      ctx.json(
          new Views.EventStatus(
              subject, eventId, "pending", hashParam, null, null, null, null, null, null, null,
              null, null, others));
      return;
    }
    Views.Decided d = decided(subject, eventId, chosen);
    // A publisher reads next: answer once this node's reads show the decision (bounded).
    long decidedSeq =
        chosen.getStatus() == DecisionStatus.ACCEPTED && chosen.getEntry() != null
            ? chosen.getEntry().getLedgerSeq()
            : chosen.getLedgerSeq() - 1;
    try {
      deps.awaitLedgerSeq(decidedSeq, deps.minSeqWaitMs());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ctx.header(ApiApp.DECIDED_SEQ_HEADER, Long.toString(decidedSeq));
    ctx.header(ApiApp.SEQ_HEADER, Long.toString(deps.ledgerSeq()));
    ctx.json(
        new Views.EventStatus(
            subject,
            eventId,
            d.status(),
            d.eventHash(),
            d.seq(),
            d.entryHash(),
            d.ledgerSeq(),
            d.reason(),
            d.detail(),
            d.duplicateOf(),
            d.ledgerTime(),
            ledgerId,
            d.signature(),
            others));
  }

  private static boolean isLedger(String id) {
    return PrincipalIds.kindOf(id).filter(k -> k == PrincipalKind.LEDGER).isPresent();
  }

  /** What the ledger says of {@code d}, as signed bytes' record. */
  private UnsignedOutcome outcome(String subject, String eventId, Decision d) {
    boolean accepted = d.getStatus() == DecisionStatus.ACCEPTED;
    EntryRef e = d.getEntry();
    return UnsignedOutcome.newBuilder()
        .setLedgerId(ledgerId)
        .setEventHash(d.getEventHash())
        .setSubjectId(subject)
        .setEventId(eventId)
        .setStatus(accepted ? OutcomeStatus.ACCEPTED : OutcomeStatus.REJECTED)
        .setReason(accepted ? null : d.getReason())
        .setLedgerSeq(accepted && e != null ? e.getLedgerSeq() : d.getLedgerSeq())
        .setEntryHash(accepted && e != null ? e.getEntryHash() : null)
        .setTime(d.getLedgerTime())
        .build();
  }

  private Views.Decided decided(String subject, String eventId, Decision d) {
    boolean accepted = d.getStatus() == DecisionStatus.ACCEPTED;
    EntryRef e = d.getEntry();
    Views.EntryRefView ref =
        e == null
            ? null
            : new Views.EntryRefView(
                e.getSubjectId(),
                e.getSeq(),
                Hex.encode(Buffers.toArray(e.getEntryHash())),
                e.getLedgerSeq());
    return new Views.Decided(
        Hex.encode(Buffers.toArray(d.getEventHash())),
        accepted ? "accepted" : "rejected",
        accepted && ref != null ? ref.seq() : null,
        accepted && ref != null ? ref.entryHash() : null,
        accepted && ref != null ? Long.valueOf(ref.ledgerSeq()) : Long.valueOf(d.getLedgerSeq()),
        accepted ? null : d.getReason().name().toLowerCase(Locale.ROOT),
        accepted ? null : d.getDetail(),
        accepted ? null : ref,
        d.getLedgerTime(),
        Base64Url.encode(Outcomes.sign(outcome(subject, eventId, d), signingKey())));
  }

  void getCheckpoints(Context ctx) {
    List<Views.CheckpointView> out =
        reader.checkpoints().stream()
            .sorted(Comparator.comparingInt(Checkpoint::getTree))
            .map(
                c ->
                    new Views.CheckpointView(
                        c.getTree(),
                        c.getOrigin(),
                        c.getSize(),
                        Hex.encode(Buffers.toArray(c.getRootHash())),
                        c.getCreatedAt(),
                        c.getNote()))
            .toList();
    ctx.json(Map.of("checkpoints", out));
  }

  /** JSON routes take application/json (with or without a charset) and nothing else. */
  private static void requireJson(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !type.startsWith("application/json;")) {
      throw new ApiException(
          415,
          "unsupported-media-type",
          "Unsupported media type",
          "send application/json",
          Map.of());
    }
  }

  private SignedEvent eventBody(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json")) {
      try {
        return AvroJson.fromJson(jsonBody(ctx), SignedEvent.getClassSchema());
      } catch (AvroJson.JsonFieldException e) {
        throw ApiException.badRequest("invalid-event", e.getMessage());
      }
    }
    if (type.startsWith("application/octet-stream") || type.startsWith("application/avro")) {
      try {
        return avroEvents.decode("ledger.events", ctx.bodyAsBytes());
      } catch (SerdeException e) {
        throw ApiException.badRequest(
            "invalid-event", e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
      }
    }
    throw new ApiException(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        "send application/json or application/octet-stream (Avro single-object encoding)",
        Map.of());
  }

  static JsonNode jsonBody(Context ctx) {
    JsonNode node;
    try {
      node = STRICT.readTree(ctx.bodyAsBytes());
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "invalid-json", "body is not JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw ApiException.badRequest("invalid-json", "body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("invalid-json", "body must be a JSON object");
    }
    return node;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw ApiException.badRequest("invalid-json", "/" + field + ": must be a string");
    }
    return value.asText();
  }

  private static byte[] base64(JsonNode body, String field) {
    try {
      return Base64Url.decode(text(body, field));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "invalid-json", "/" + field + ": is not base64url without padding");
    }
  }

  static String principalId(Context ctx, String param, PrincipalKind kind) {
    String id = ctx.pathParam(param);
    if (!PrincipalIds.isWellFormed(id, kind)) {
      throw ApiException.badRequest(
          "invalid-id", "'" + id + "' is not a " + kind.name().toLowerCase(Locale.ROOT) + " id");
    }
    return id;
  }

  static long longParam(Context ctx, String name, long fallback, long min, long max) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "invalid-parameter", name + " must be an integer in " + min + ".." + max);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
