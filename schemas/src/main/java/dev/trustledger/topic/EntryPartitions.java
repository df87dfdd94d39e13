package dev.trustledger.topic;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where an entry goes: partition {@code murmur2(UTF-8 of subject_id) & 0x7fffffff mod n} of {@code
 * ledger.entries}, Kafka's default partition of a record keyed by the subject id. Every entry of a
 * chain lands in the same partition (docs/spec.md section 7.2).
 */
public final class EntryPartitions {
  private EntryPartitions() {}

  /** The partition of {@code subjectId}'s entries when {@code ledger.entries} has {@code n}. */
  public static int of(String subjectId, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("partitions must be positive, got " + n);
    }
    return Utils.toPositive(Utils.murmur2(subjectId.getBytes(StandardCharsets.UTF_8))) % n;
  }
}
