package dev.trustledger.ledger.view;

import dev.trustledger.ledger.avro.View;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code ledger.views} from its beginning into a {@link ReadModel}, on a thread of its own,
 * with a consumer of no group (nothing to rebalance: every node reads the whole topic). Reads are
 * ready once it has applied everything the topic held when it started.
 */
public final class ViewFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ViewFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final Deserializer<View> views;
  private final ReadModel model;
  private final Thread thread;
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean caughtUp;
  private volatile boolean closed;
  private volatile long startedAt;
  private volatile long caughtUpAfterMs = -1;
  private volatile long lastEntryTimestamp = -1;

  /**
   * @param clientSettings Kafka client settings (bootstrap servers, security)
   * @param topic the views topic
   * @param views its deserializer (null for a view whose MAC does not verify)
   * @param model the model to fill
   */
  public ViewFollower(
      Map<String, Object> clientSettings, String topic, Deserializer<View> views, ReadModel model) {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(
            props,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new ByteArrayDeserializer());
    this.partition = new TopicPartition(topic, 0);
    this.views = views;
    this.model = model;
    this.thread = new Thread(this::run, "ledger-views");
    this.thread.setDaemon(true);
  }

  public ViewFollower start() {
    startedAt = System.nanoTime();
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = -1;
      while (!closed) {
        try {
          if (end < 0) {
            end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
          }
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
          for (ConsumerRecord<String, byte[]> r : records) {
            View view = r.value() == null ? null : views.deserialize(r.topic(), r.value());
            if (view == null) {
              refused.incrementAndGet();
              LOG.error(
                  "refused the record at {}/{} of {}: no node of this ledger wrote it (its MAC"
                      + " does not verify)",
                  r.partition(),
                  r.offset(),
                  r.topic());
              continue;
            }
            long seq = model.ledgerSeq();
            model.apply(r.offset(), view);
            if (model.ledgerSeq() > seq) {
              lastEntryTimestamp = r.timestamp();
            }
          }
          if (!caughtUp && consumer.position(partition) >= end) {
            caughtUpAfterMs = (System.nanoTime() - startedAt) / 1_000_000;
            caughtUp = true;
            LOG.info(
                "read model caught up: {} principals, ledger_seq {}, in {} ms",
                model.principalCount(),
                model.ledgerSeq(),
                caughtUpAfterMs);
          }
        } catch (WakeupException e) {
          if (closed) {
            return;
          }
        } catch (org.apache.kafka.common.KafkaException e) {
          // A broker that restarts or a topic not there yet: keep trying, as Kafka's clients do.
          LOG.warn("following the views: {}; retrying", e.toString());
          pause(1000);
        }
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("the read model stopped following the views", e);
      }
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /**
   * Kafka timestamp (epoch ms) of the newest view that advanced ledger_seq: about when the newest
   * entry was decided; -1 before any.
   */
  public long lastEntryTimestamp() {
    return lastEntryTimestamp;
  }

  /** True once everything the topic held at start is applied. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** How long catching up took, in ms (-1 until it did). */
  public long caughtUpAfterMs() {
    return caughtUpAfterMs;
  }

  /** Records refused because their MAC did not verify. */
  public long refused() {
    return refused.get();
  }

  public ReadModel model() {
    return model;
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
