package dev.trustledger.api;

import java.util.Map;

/**
 * An HTTP error answered as an RFC 9457 problem: status, a type slug, a title and a detail, and
 * optional extension members. Thrown by handlers, mapped once by {@link Problems}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String title;
  private final transient Map<String, Object> extensions;

  public ApiException(
      int status, String type, String title, String detail, Map<String, Object> extensions) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = Map.copyOf(extensions);
  }

  public static ApiException badRequest(String type, String detail) {
    return new ApiException(400, type, "Bad request", detail, Map.of());
  }

  public static ApiException notFound(String what, String id) {
    return new ApiException(404, "not-found", "Not found", "no " + what + " " + id, Map.of());
  }

  public static ApiException unprocessable(String type, String title, String detail) {
    return new ApiException(422, type, title, detail, Map.of());
  }

  public static ApiException unavailable(String detail, int retryAfterSeconds) {
    return new ApiException(
        503,
        "unavailable",
        "Temporarily unavailable",
        detail,
        Map.of("retry_after", retryAfterSeconds));
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
