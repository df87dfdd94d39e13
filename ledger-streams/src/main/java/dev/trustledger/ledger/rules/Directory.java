package dev.trustledger.ledger.rules;

import dev.trustledger.avro.Principal;
import dev.trustledger.trust.Evidence;
import java.util.List;
import java.util.Optional;

/**
 * What the ledger knows about principals, as the rules read it. The topology backs it with its
 * RocksDB stores; the auditor with maps rebuilt from the log.
 */
public interface Directory {

  /** A registered sponsor or agent (admins come from configuration). */
  Optional<Principal> principal(String id);

  /**
   * The principals registered under {@code id}, in id order: a sponsor's agents (all of them,
   * sub-agents included) or an agent's direct sub-agents.
   */
  List<String> children(String id);

  /** The trust evidence of an agent. */
  Optional<Evidence> evidence(String agentId);

  /**
   * True when an event with this id was accepted for the subject at a ledger time in [from, to].
   */
  boolean eventAccepted(String subjectId, String eventId, long from, long to);

  /** True when the reporter's report on this interaction was counted at a time in [from, to]. */
  boolean interactionCounted(
      String reporterId, String subjectId, String interactionId, long from, long to);
}
