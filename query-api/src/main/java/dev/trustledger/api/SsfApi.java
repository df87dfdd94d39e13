package dev.trustledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.ssf.SecurityEvents;
import dev.trustledger.ssf.Transmitter;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shared Signals routes: poll delivery (RFC 8936), the ledger key as a JWK set, and the
 * transmitter's configuration (docs/spec.md 12.8).
 */
final class SsfApi {
  /** How long a poll that may wait waits for a token. */
  static final long POLL_WAIT_MS = 10_000;

  private final Transmitter transmitter;
  private final String issuer;
  private final ObjectMapper json;

  SsfApi(Transmitter transmitter, String issuer, ObjectMapper json) {
    this.transmitter = transmitter;
    this.issuer = issuer;
    this.json = json;
  }

  private Transmitter transmitter() {
    if (transmitter == null) {
      throw ApiException.notFound("Shared Signals transmitter on", "this node");
    }
    return transmitter;
  }

  /** {@code POST /v1/ssf/poll}. */
  void poll(Context ctx) throws Exception {
    Transmitter t = transmitter();
    JsonNode body = LedgerApi.jsonBody(ctx);
    List<String> ack = new ArrayList<>();
    JsonNode acks = body.path("ack");
    if (!acks.isMissingNode()) {
      if (!acks.isArray()) {
        throw ApiException.badRequest("invalid-json", "/ack must be an array of jti strings");
      }
      for (JsonNode a : acks) {
        if (!a.isTextual()) {
          throw ApiException.badRequest("invalid-json", "/ack must be an array of jti strings");
        }
        ack.add(a.asText());
      }
    }
    int max = 100;
    JsonNode maxEvents = body.path("maxEvents");
    if (!maxEvents.isMissingNode()) {
      if (!maxEvents.canConvertToInt() || maxEvents.asInt() < 0 || maxEvents.asInt() > 1000) {
        throw ApiException.badRequest("invalid-json", "/maxEvents must be an integer 0..1000");
      }
      max = maxEvents.asInt();
    }
    boolean immediately = body.path("returnImmediately").asBoolean(false);
    Map<String, String> sets = t.poll(ack, max, immediately ? 0 : POLL_WAIT_MS);
    ObjectNode out = json.createObjectNode();
    ObjectNode s = out.putObject("sets");
    sets.forEach(s::put);
    out.put("moreAvailable", t.held() > sets.size());
    ctx.json(out);
  }

  /** {@code GET /v1/ssf/jwks}. */
  void jwks(Context ctx) {
    ObjectNode out = json.createObjectNode();
    ArrayNode keys = out.putArray("keys");
    keys.add(SecurityEvents.jwk(transmitter().publicKey()));
    ctx.json(out);
  }

  /** {@code GET /.well-known/ssf-configuration}. */
  void configuration(Context ctx) {
    String base = ctx.scheme() + "://" + ctx.host();
    ObjectNode out = json.createObjectNode();
    out.put("spec_version", "1_0");
    out.put("issuer", issuer);
    out.put("jwks_uri", base + "/v1/ssf/jwks");
    ArrayNode methods = out.putArray("delivery_methods_supported");
    methods.add("urn:ietf:rfc:8935");
    methods.add("urn:ietf:rfc:8936");
    ArrayNode events = out.putArray("events_supported");
    events.add(SecurityEvents.DISABLED);
    events.add(SecurityEvents.ENABLED);
    events.add(SecurityEvents.PURGED);
    out.put("poll_endpoint", base + "/v1/ssf/poll");
    ctx.json(out);
  }
}
