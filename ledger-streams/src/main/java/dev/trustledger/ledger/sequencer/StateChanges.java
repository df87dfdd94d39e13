package dev.trustledger.ledger.sequencer;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import java.util.List;
import java.util.Map;

/**
 * Everything one step writes to the ledger's state: applying it is the only way state changes.
 *
 * @param head the new head, or null when it did not change
 * @param principals new records of principals, by id
 * @param links new parent-child links (a sponsor or parent agent and a new agent)
 * @param decisions decisions to remember, each under its key and ledger time
 */
public record StateChanges(
    LedgerHead head,
    Map<String, PrincipalState> principals,
    List<Link> links,
    List<Remembered> decisions) {

  public StateChanges {
    principals = Map.copyOf(principals);
    links = List.copyOf(links);
    decisions = List.copyOf(decisions);
  }

  /** A principal registered under another (its sponsor, or its parent agent). */
  public record Link(String parent, String child) {}

  /**
   * A decision kept for dedupe and the event status API.
   *
   * @param key its key ({@link DecisionKeys})
   * @param time the ledger time it is kept at (it expires with the dedupe window)
   * @param decision the decision
   */
  public record Remembered(String key, long time, Decision decision) {}

  /** True when nothing changes. */
  public boolean isEmpty() {
    return head == null && principals.isEmpty() && links.isEmpty() && decisions.isEmpty();
  }
}
