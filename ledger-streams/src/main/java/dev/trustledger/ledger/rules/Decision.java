package dev.trustledger.ledger.rules;

import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.Principal;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.trust.Evidence;
import java.util.List;
import java.util.Map;

/** What the rules decided about one verified event. */
public sealed interface Decision {

  /** The event is rejected; nothing changes. */
  record Reject(Rejected rejected) implements Decision {}

  /**
   * The event is accepted.
   *
   * @param facts the facts recorded in the subject's entry
   * @param principals principals to store (the subject's new record, cascaded revocations)
   * @param links new parent -> child links (a sponsor or parent agent and a new agent)
   * @param evidence trust evidence to store, by agent id (subject and signer activity)
   * @param cascade agents to revoke by derived entries, parents before children
   * @param cascadeReason the reason written into each derived revocation
   */
  record Accept(
      EntryFacts facts,
      List<Principal> principals,
      List<Link> links,
      Map<String, Evidence> evidence,
      List<String> cascade,
      String cascadeReason)
      implements Decision {}

  /** A principal registered under another (its sponsor, or its parent agent). */
  record Link(String parent, String child) {}
}
