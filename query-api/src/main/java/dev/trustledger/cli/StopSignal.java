package dev.trustledger.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM (or Ctrl-C) for the commands that run until stopped: the signal asks them to stop, and
 * the JVM stays up until they say they have closed (a node leaving its group, a broker's controlled
 * shutdown), for at most the grace period.
 */
final class StopSignal {
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  private StopSignal() {}

  /** Installs the shutdown hook; {@link #closed()} must follow the command's close. */
  static StopSignal install(int graceSeconds) {
    StopSignal signal = new StopSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  signal.stop.countDown();
                  try {
                    signal.closed.await(graceSeconds, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    return signal;
  }

  /** Waits for the signal up to {@code timeout}; true once it came. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return stop.await(timeout, unit);
  }

  /** Waits for the signal. */
  void await() throws InterruptedException {
    stop.await();
  }

  /** The command has closed: the JVM may end. */
  void closed() {
    closed.countDown();
  }
}
