package dev.trustledger.ledger.sequencer;

import dev.trustledger.encoding.Hex;

/**
 * Keys under which decisions are remembered. Accepted events by {@code (subject, event id,
 * signer)}, counted interactions by {@code (reporter, subject, interaction)}, and the latest
 * rejection of each distinct event by {@code (subject, event id, event hash)}. Ids in keys are well
 * formed, so {@code /} separates them unambiguously.
 */
public final class DecisionKeys {
  private DecisionKeys() {}

  public static String accepted(String subjectId, String eventId, String signerId) {
    return acceptedPrefix(subjectId, eventId) + signerId;
  }

  /** Every accepted event of {@code (subject, event id)}, whoever signed it, starts with this. */
  public static String acceptedPrefix(String subjectId, String eventId) {
    return "e/" + subjectId + "/" + eventId + "/";
  }

  public static String interaction(String reporterId, String subjectId, String interactionId) {
    return "i/" + reporterId + "/" + subjectId + "/" + interactionId;
  }

  public static String rejected(String subjectId, String eventId, byte[] eventHash) {
    return rejectedPrefix(subjectId, eventId) + Hex.encode(eventHash);
  }

  /** Every rejected event of {@code (subject, event id)} has a key starting with this. */
  public static String rejectedPrefix(String subjectId, String eventId) {
    return "r/" + subjectId + "/" + eventId + "/";
  }
}
