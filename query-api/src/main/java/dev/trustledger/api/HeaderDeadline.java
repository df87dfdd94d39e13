package dev.trustledger.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Drops a connection whose request headers have been arriving for longer than a deadline. Jetty
 * bounds the body's data rate and the time between bytes, but not how long headers may trickle in a
 * byte at a time; such a connection holds no thread here, yet without a deadline it would hold its
 * socket for as long as the client likes.
 *
 * <p>A sweep once a second looks at each open connection's parser: one that is part-way through a
 * request's headers, on the same request, at two sweeps further apart than the deadline is closed.
 */
final class HeaderDeadline implements Connection.Listener, LifeCycle.Listener {
  private final long deadlineNanos;
  private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService sweeper;

  /** When a connection was first seen in the headers of its {@code messagesIn}-th request. */
  private record Watch(long messagesIn, long since) {
    static final Watch NONE = new Watch(-1, 0);
  }

  HeaderDeadline(long deadlineMs) {
    this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMs);
  }

  /** Watches every connector of {@code server} once it starts. */
  void install(Server server) {
    server.addEventListener(this);
  }

  @Override
  public void lifeCycleStarting(LifeCycle event) {
    if (event instanceof Server server) {
      for (var connector : server.getConnectors()) {
        connector.addBean(this);
      }
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "api-header-deadline");
                t.setDaemon(true);
                return t;
              });
      s.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
      sweeper = s;
    }
  }

  @Override
  public void lifeCycleStopped(LifeCycle event) {
    ScheduledExecutorService s = sweeper;
    if (s != null) {
      s.shutdownNow();
    }
    open.clear();
  }

  @Override
  public void onOpened(Connection connection) {
    open.put(connection, Watch.NONE);
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<Connection, Watch> e : open.entrySet()) {
      if (!(e.getKey() instanceof HttpConnection http)) {
        continue;
      }
      HttpParser parser = http.getParser();
      boolean inHeaders = parser.inHeaderState() && !parser.isStart() && !parser.isClosed();
      Watch w = e.getValue();
      if (!inHeaders) {
        e.setValue(Watch.NONE);
      } else if (w.messagesIn() != http.getMessagesIn()) {
        e.setValue(new Watch(http.getMessagesIn(), now));
      } else if (now - w.since() > deadlineNanos) {
        http.getEndPoint().close();
      }
    }
  }
}
