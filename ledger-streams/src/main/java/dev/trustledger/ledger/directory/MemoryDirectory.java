package dev.trustledger.ledger.directory;

import dev.trustledger.avro.Principal;
import dev.trustledger.ledger.rules.MutableDirectory;
import dev.trustledger.trust.Evidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The directory in memory, rebuilt from the log by the auditor. */
public final class MemoryDirectory implements MutableDirectory {
  private final Map<String, Principal> principals = new HashMap<>();
  private final Map<String, java.util.TreeSet<String>> children = new HashMap<>();
  private final Map<String, Evidence> evidence = new HashMap<>();
  private final Map<String, List<Long>> accepted = new HashMap<>();
  private final Map<String, List<Long>> interactions = new HashMap<>();

  @Override
  public Optional<Principal> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id) {
    return children.containsKey(id) ? List.copyOf(children.get(id)) : List.of();
  }

  @Override
  public void addChild(String parent, String child) {
    children.computeIfAbsent(parent, k -> new java.util.TreeSet<>()).add(child);
  }

  @Override
  public Optional<Evidence> evidence(String agentId) {
    return Optional.ofNullable(evidence.get(agentId));
  }

  @Override
  public boolean eventAccepted(String subjectId, String eventId, long from, long to) {
    return within(accepted.get(subjectId + "/" + eventId), from, to);
  }

  @Override
  public boolean interactionCounted(
      String reporterId, String subjectId, String interactionId, long from, long to) {
    return within(interactions.get(reporterId + "/" + subjectId + "/" + interactionId), from, to);
  }

  @Override
  public void putPrincipal(Principal principal) {
    principals.put(principal.getId(), principal);
  }

  @Override
  public void putEvidence(String agentId, Evidence e) {
    evidence.put(agentId, e);
  }

  @Override
  public void recordAccepted(
      String subjectId, String eventId, long t, long seq, java.nio.ByteBuffer entryHash) {
    accepted.computeIfAbsent(subjectId + "/" + eventId, k -> new ArrayList<>()).add(t);
  }

  @Override
  public void recordInteraction(String reporterId, String subjectId, String interactionId, long t) {
    interactions
        .computeIfAbsent(reporterId + "/" + subjectId + "/" + interactionId, k -> new ArrayList<>())
        .add(t);
  }

  /** Every principal. */
  public Map<String, Principal> principals() {
    return Map.copyOf(principals);
  }

  /** Trust evidence of every agent. */
  public Map<String, Evidence> allEvidence() {
    return Map.copyOf(evidence);
  }

  private static boolean within(List<Long> times, long from, long to) {
    if (times == null) {
      return false;
    }
    for (long t : times) {
      if (t >= from && t <= to) {
        return true;
      }
    }
    return false;
  }
}
