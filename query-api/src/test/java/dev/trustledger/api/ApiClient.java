package dev.trustledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A real HTTP client for API tests. Every response is checked against openapi.yaml before the test
 * sees it.
 */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private String authorization;

  ApiClient(String base) {
    this.base = base;
  }

  ApiClient withToken(String token) {
    return withAuthorization("Bearer " + token);
  }

  /** Sends {@code value} as the Authorization header, as given. */
  ApiClient withAuthorization(String value) {
    this.authorization = value;
    return this;
  }

  /** A response: status, content type, body as text and as JSON (null when not JSON). */
  record Response(
      int status, String contentType, String text, JsonNode json, HttpResponse<String> raw) {}

  Response get(String template, String path) {
    return send("GET", template, path, null, null);
  }

  Response post(String template, String path, String contentType, byte[] body) {
    return send("POST", template, path, contentType, body);
  }

  Response postJson(String template, String path, String body) {
    return post(template, path, "application/json", body.getBytes());
  }

  /** Sends without contract checks (for undocumented routes and methods). */
  Response raw(String method, String path, String contentType, byte[] body) {
    return send(method, null, path, contentType, body);
  }

  private Response send(
      String method, String template, String path, String contentType, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String type = response.headers().firstValue("Content-Type").orElse("");
      JsonNode json = null;
      if (type.contains("json")) {
        json = JSON.readTree(response.body());
      }
      if (template != null) {
        OpenApiContract.check(method, template, response.statusCode(), type, response.body());
      }
      return new Response(response.statusCode(), type, response.body(), json, response);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
