package dev.trustledger.ledger.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts the records a cluster holds, by topic, as the sum of every partition's end offset: data
 * records, transaction markers and consumer-offset commits alike (each takes an offset). The
 * difference of two snapshots is what the ledger wrote in between.
 */
public final class RecordCounter implements AutoCloseable {
  private final Admin admin;

  public RecordCounter(String bootstrapServers) {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** End offsets summed per topic, internal topics included. */
  public Map<String, Long> snapshot() throws Exception {
    Set<String> names =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(30, TimeUnit.SECONDS);
    Map<String, TopicDescription> topics =
        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicDescription d : topics.values()) {
      d.partitions()
          .forEach(
              p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
    Map<String, Long> out = new TreeMap<>();
    ends.forEach((tp, info) -> out.merge(tp.topic(), info.offset(), Long::sum));
    return out;
  }

  /** {@code after - before} per topic, topics without change left out. */
  public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (topic, end) -> {
          long d = end - before.getOrDefault(topic, 0L);
          if (d != 0) {
            out.put(topic, d);
          }
        });
    return out;
  }

  /** One line per topic: records per event, and the total, leaving out the input topic. */
  public static List<String> perEvent(Map<String, Long> delta, long events, String inputTopic) {
    List<String> lines = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Long> e : delta.entrySet()) {
      lines.add(String.format("    %-60s %8.2f", e.getKey(), (double) e.getValue() / events));
      if (!e.getKey().equals(inputTopic)) {
        total += e.getValue();
      }
    }
    lines.add(
        String.format(
            "    %-60s %8.2f",
            "total besides the input (" + inputTopic + ")", (double) total / events));
    return lines;
  }

  @Override
  public void close() {
    admin.close();
  }
}
