package dev.trustledger.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry server (the Maven Central distribution that the build unpacks into
 * {@code target/schema-registry}), in memory, on a free loopback port, for integration tests.
 */
public final class ApicurioRegistry implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;

  private ApicurioRegistry(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the registry and waits until its Confluent-compatible API answers. */
  public static ApicurioRegistry start() throws Exception {
    Path dir = Path.of(System.getProperty("schema.registry.dir", "target/schema-registry"));
    Path runner;
    try (Stream<Path> files = Files.list(dir)) {
      runner =
          files
              .filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no Apicurio runner jar in " + dir));
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=0",
            "-Dquarkus.banner.enabled=false",
            "-Dquarkus.log.level=WARN",
            "-Dquarkus.log.category.\"io.quarkus\".level=INFO",
            "-Dregistry.auth.enabled=false",
            "-Dquarkus.datasource.jdbc.url=jdbc:h2:mem:registry_db",
            "-Dregistry.ccompat.use-canonical-hash=true",
            "-Dvertx.cacheDirBase=" + dir.toAbsolutePath().resolve("vertx-cache"),
            "-jar",
            runner.toAbsolutePath().toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (log) {
                    log.append(line).append('\n');
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("registry exited:\n" + log));
            },
            "apicurio-log");
    reader.setDaemon(true);
    reader.start();
    ApicurioRegistry registry;
    try {
      registry = new ApicurioRegistry(process, port.get(90, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
    registry.awaitReady(Duration.ofSeconds(60));
    return registry;
  }

  /** Base URL of the Confluent-compatible API. */
  public String ccompatUrl() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet listening
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("registry not ready within " + timeout);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
  }
}
