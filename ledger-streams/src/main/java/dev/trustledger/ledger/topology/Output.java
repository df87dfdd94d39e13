package dev.trustledger.ledger.topology;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * One record the sequencer writes: its topic, its partition (or -1 for the default partitioner) and
 * its encoded value. The sequencer chooses the partition of every entry itself, because the
 * partition log hash is defined over the order of entries in each partition.
 *
 * @param topic destination topic
 * @param partition destination partition, or -1
 * @param value the encoded value
 */
public record Output(String topic, int partition, byte[] value) {

  /** Routes each output to its topic. */
  public static TopicNameExtractor<String, Output> topics() {
    return (key, output, context) -> output.topic();
  }

  /**
   * Routes each output to its chosen partition, and fails loudly if the topic has another number of
   * partitions than the sequencer assumed.
   */
  public static StreamPartitioner<String, Output> partitioner(
      String entriesTopic, int entriesPartitions) {
    return (topic, key, output, numPartitions) -> {
      if (output.partition() < 0) {
        return Optional.empty();
      }
      if (topic.equals(entriesTopic) && numPartitions != entriesPartitions) {
        throw new IllegalStateException(
            entriesTopic
                + " has "
                + numPartitions
                + " partitions, the ledger is configured for "
                + entriesPartitions);
      }
      return Optional.of(Set.of(output.partition()));
    };
  }

  /** Writes the value bytes; outputs are never read back through this serde. */
  public static Serde<Output> serde() {
    return Serdes.serdeFrom(
        (topic, output) -> output == null ? null : output.value(),
        (topic, bytes) -> {
          throw new UnsupportedOperationException("outputs are written, not read");
        });
  }
}
