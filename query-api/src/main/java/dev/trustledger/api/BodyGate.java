package dev.trustledger.api;

import io.javalin.http.Handler;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many requests read a body at once. A handler that reads one runs only with a permit;
 * without one the request is answered 503 at once, so slow bodies cannot take every thread and the
 * health and read routes always find one.
 */
final class BodyGate {
  private final Semaphore permits;

  BodyGate(int readers) {
    permits = new Semaphore(readers);
  }

  /** {@code handler}, run only while holding a permit. */
  Handler guard(Handler handler) {
    return ctx -> {
      if (!permits.tryAcquire()) {
        throw ApiException.unavailable("too many requests are sending a body; retry", 1);
      }
      try {
        handler.handle(ctx);
      } finally {
        permits.release();
      }
    };
  }
}
