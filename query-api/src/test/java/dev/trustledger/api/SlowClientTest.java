package dev.trustledger.api;

import static dev.trustledger.api.ApiRoutesTest.BOT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several hundred clients that send a request body a few bytes at a time, and as many that send
 * their headers a few bytes at a time, cannot take the API from the clients that behave: {@code
 * /healthz}, {@code /readyz} and a real read keep answering within a second, and the server cuts
 * the slow ones off within a bounded time.
 */
class SlowClientTest {
  private static final int SLOW_BODIES = 300;
  private static final int SLOW_HEADERS = 200;

  private Javalin app;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    app = ApiRoutesTest.start(ApiRoutesTest.populated(), ApiOptions.DEFAULTS);
  }

  @AfterEach
  void stop() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
    app.stop();
  }

  @Test
  void slowClientsDoNotStarveTheOthers() throws Exception {
    // Bodies at about 4 bytes/s, under the least data rate, and headers a byte at a time: the
    // server cuts every one of them off (408, 503, or a closed connection) within 20 s.
    int closed = run(SLOW_BODIES, SLOW_HEADERS, 1);
    assertThat(closed)
        .as("slow clients the server cut off within 20 s")
        .isEqualTo(SLOW_BODIES + SLOW_HEADERS);
  }

  @Test
  void longBodiesAboveTheLeastRateDoNotTakeEveryThread() throws Exception {
    // Bodies of 60,000 bytes at about 2 KB/s: fast enough for the least data rate, so each would
    // hold a thread for 30 s. Only the body readers the API allows read at once; the others are
    // answered 503 at once, and the threads stay free for everyone else.
    int closed = run(SLOW_BODIES, 0, 512);
    assertThat(closed)
        .as("long bodies refused within 20 s")
        .isGreaterThanOrEqualTo(SLOW_BODIES - ApiOptions.DEFAULTS.maxBodyReaders());
  }

  /**
   * Opens {@code bodies} POSTs that send {@code bytesPerRound} body bytes every 250 ms and {@code
   * headers} GETs that send a header byte every 250 ms, while checking for 8 s that {@code
   * /healthz}, {@code /readyz} and a real read answer 200 within a second; returns how many of the
   * slow clients the server answered or closed within 20 s.
   */
  private int run(int bodies, int headers, int bytesPerRound) throws Exception {
    int port = app.port();
    for (int i = 0; i < bodies; i++) {
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(1);
      String path = i % 2 == 0 ? "/v1/events" : "/v1/verify";
      s.getOutputStream()
          .write(
              ("POST "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 60000\r\n\r\n{")
                  .getBytes(StandardCharsets.ISO_8859_1));
      sockets.add(s);
    }
    for (int i = 0; i < headers; i++) {
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(1);
      s.getOutputStream()
          .write("GET /healthz HTTP/1.1\r\nX-".getBytes(StandardCharsets.ISO_8859_1));
      sockets.add(s);
    }
    String bodyBytes = "1".repeat(bytesPerRound);

    // Keep every slow client sending for up to 20 s; note when the server closes each one.
    AtomicBoolean trickling = new AtomicBoolean(true);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Integer> closedByServer =
        pool.submit(
            () -> {
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
              boolean[] closed = new boolean[sockets.size()];
              int count = 0;
              while (trickling.get() && System.nanoTime() < end && count < closed.length) {
                for (int i = 0; i < closed.length; i++) {
                  if (!closed[i] && !alive(sockets.get(i), i < bodies ? bodyBytes : "a")) {
                    closed[i] = true;
                    count++;
                  }
                }
                Thread.sleep(250);
              }
              return count;
            });

    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      while (System.nanoTime() < until) {
        for (String path : List.of("/healthz", "/readyz", "/v1/agents/" + BOT_ID)) {
          long t0 = System.nanoTime();
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .timeout(Duration.ofSeconds(1))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          assertThat(r.statusCode()).as(path).isEqualTo(200);
          assertThat(ms).as(path + " answered in ms").isLessThan(1000);
        }
        Thread.sleep(100);
      }
      return closedByServer.get(30, TimeUnit.SECONDS);
    } finally {
      trickling.set(false);
      pool.shutdownNow();
    }
  }

  /**
   * Sends one more byte and drains any answer; false once the server has answered or closed the
   * connection.
   */
  private static boolean alive(Socket s, String next) {
    try {
      OutputStream out = s.getOutputStream();
      out.write(next.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      try {
        int b = in.read();
        return false; // an answer (408, 413, 503) or the end of the stream
      } catch (java.net.SocketTimeoutException e) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }
}
