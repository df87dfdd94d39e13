package dev.trustledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * RFC 9457 problem details ({@code application/problem+json}). Every error of the API goes through
 * {@link #write}; no stack trace is ever sent.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Prefix of problem type URIs; the slug names the problem, documented in openapi.yaml. */
  public static final String TYPE_PREFIX = "urn:trustledger:problem:";

  private Problems() {}

  public static void write(Context ctx, ObjectMapper json, ApiException e) {
    ObjectNode body = json.createObjectNode();
    body.put("type", TYPE_PREFIX + e.type());
    body.put("title", e.title());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    body.put("instance", ctx.path());
    e.extensions().forEach((k, v) -> body.set(k, json.valueToTree(v)));
    Object retry = e.extensions().get("retry_after");
    if (retry != null) {
      ctx.header("Retry-After", retry.toString());
    }
    ctx.status(e.status())
        .contentType(MEDIA_TYPE + "; charset=utf-8")
        .result(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
