package dev.trustledger.ledger.runtime;

import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.topic.LedgerTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the ledger's topics with explicit settings, and checks existing ones: the entries topic
 * must have exactly the configured partitions, because each partition has its own log hash.
 */
public final class TopicSetup {
  private TopicSetup() {}

  /** The topics and their settings for {@code config}. */
  public static List<NewTopic> topics(LedgerTopics topics, LedgerConfig config) {
    short rf = config.getShort(LedgerConfig.REPLICATION_FACTOR_CONFIG);
    String minIsr = Integer.toString(config.getInt(LedgerConfig.MIN_INSYNC_REPLICAS_CONFIG));
    int events = config.getInt(LedgerConfig.EVENTS_PARTITIONS_CONFIG);
    int entries = config.entriesPartitions();
    Map<String, String> logAppend =
        Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
            "LogAppendTime",
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
            minIsr);
    Map<String, String> forever =
        Map.of(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr,
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1",
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    Map<String, String> compacted =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
            minIsr);
    return List.of(
        new NewTopic(topics.events(), events, rf).configs(withRetention(logAppend, "604800000")),
        new NewTopic(topics.entries(), entries, rf).configs(forever),
        new NewTopic(topics.rejections(), events, rf)
            .configs(withRetention(logAppend, "2592000000")),
        new NewTopic(topics.checkpoints(), 1, rf).configs(forever),
        new NewTopic(topics.keys(), 1, rf).configs(compacted),
        new NewTopic(topics.views(), 1, rf).configs(hourlySegments(compacted)));
  }

  /**
   * The views topic rolls a segment every hour: compaction works on closed segments only, and every
   * node reads the whole topic when it starts, so its start stays proportional to the principals
   * and the last hour's changes rather than to the default 1 GiB segment.
   */
  private static Map<String, String> hourlySegments(Map<String, String> configs) {
    Map<String, String> out = new java.util.HashMap<>(configs);
    out.put(TopicConfig.SEGMENT_MS_CONFIG, "3600000");
    return out;
  }

  /**
   * Describes topics, waiting (bounded) until a cluster that has just created them shows them on
   * every broker asked: a busy broker answers UnknownTopicOrPartition for a while after creation.
   */
  static Map<String, TopicDescription> describeWhenVisible(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the ledger's topics " + names + " are not visible on the cluster: " + e.getCause(),
              e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static Map<String, String> withRetention(Map<String, String> base, String retentionMs) {
    Map<String, String> out = new java.util.HashMap<>(base);
    out.put(TopicConfig.RETENTION_MS_CONFIG, retentionMs);
    return out;
  }

  /**
   * Creates missing topics and checks the partitions of existing ones.
   *
   * @throws IllegalStateException when an existing topic contradicts the configuration
   */
  public static void ensure(Admin admin, LedgerTopics topics, LedgerConfig config)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (NewTopic topic : topics(topics, config)) {
      if (!existing.contains(topic.name())) {
        missing.add(topic);
      }
    }
    if (!missing.isEmpty()) {
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
    }
    Map<String, TopicDescription> described = describeWhenVisible(admin, topics.all());
    int partitions = described.get(topics.entries()).partitions().size();
    if (partitions != config.entriesPartitions()) {
      throw new IllegalStateException(
          topics.entries()
              + " has "
              + partitions
              + " partitions, the configuration says "
              + config.entriesPartitions()
              + " ("
              + LedgerConfig.ENTRIES_PARTITIONS_CONFIG
              + ")");
    }
  }
}
