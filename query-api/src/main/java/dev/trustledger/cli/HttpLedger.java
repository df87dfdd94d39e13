package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The CLI's HTTP client of a ledger node, turning network failures into exit codes. */
final class HttpLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final Duration timeout;
  private final HttpClient http;

  record Answer(int status, JsonNode body) {}

  HttpLedger(String base, Duration timeout) {
    this.base = CliConfig.normalize(base);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Answer post(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A GET whose answer is text (a checkpoint, a receipt), with its status. */
  record Text(int status, String body) {}

  Text text(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
      return new Text(response.statusCode(), response.body());
    } catch (ConnectException | HttpTimeoutException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "ledger node " + base + " is unreachable: " + e);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "talking to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNREACHABLE, "interrupted");
    }
  }

  /** A GET whose answer is bytes (a tile), with its status. */
  byte[] bytes(String path) {
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new CliException(
            ExitCodes.NOT_FOUND, "GET " + path + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "talking to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNREACHABLE, "interrupted");
    }
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), body);
    } catch (ConnectException | HttpTimeoutException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "ledger node " + base + " is unreachable: " + e);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "talking to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNREACHABLE, "interrupted");
    }
  }

  /** The problem's detail of an error answer. */
  static String detail(Answer a) {
    return a.body().path("detail").asText(a.body().toString());
  }
}
