package dev.trustledger.ledger.sequencer;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import java.util.List;
import java.util.Optional;

/**
 * What the sequencer's step reads: the ledger's head, one record per principal, the tree of
 * principals, and the decisions it must remember for dedupe. Two implementations: the node's
 * RocksDB stores, and {@link MemoryLedgerState} for the auditor and tests. Both change only through
 * {@link StateChanges}.
 */
public interface LedgerState {

  /** The ledger's head; empty before the genesis entry. */
  Optional<LedgerHead> head();

  /** A registered sponsor or agent. */
  Optional<PrincipalState> principal(String id);

  /**
   * The principals registered under {@code id}, in id order: a sponsor's agents (sub-agents
   * included) or an agent's direct sub-agents.
   */
  List<String> children(String id);

  /**
   * The accepted event {@code signer} sent under {@code (subject, event id)}, at a time in [from,
   * to].
   */
  Optional<Decision> accepted(
      String subjectId, String eventId, String signerId, long from, long to);

  /**
   * The accepted report of {@code reporter} about an interaction at a ledger time in [from, to].
   */
  Optional<Decision> interaction(
      String reporterId, String subjectId, String interactionId, long from, long to);
}
