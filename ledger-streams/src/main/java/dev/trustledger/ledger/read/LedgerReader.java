package dev.trustledger.ledger.read;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import java.util.List;
import java.util.Optional;

/**
 * What the query side reads from the ledger's stores. Implementations read local stores; the query
 * API decides which node to ask.
 */
public interface LedgerReader {

  /** The ledger's head: its key, its parameters in force, its order; empty before the genesis. */
  Optional<LedgerHead> head();

  /** A sponsor or agent, with its trust evidence and chain head. */
  Optional<PrincipalState> principal(String id);

  /**
   * Up to {@code limit} principals registered under {@code id} (a sponsor's agents, an agent's
   * sub-agents) in id order, starting after {@code after} (null: from the first).
   */
  List<String> children(String id, String after, int limit);

  /** Up to {@code limit} entries of a subject's chain from {@code fromSeq}, in seq order. */
  List<LedgerEntry> entries(String subjectId, long fromSeq, int limit);

  /**
   * What the ledger decided about inputs with this subject and event id, still within the dedupe
   * window: the accepted ones first (one per signer), then the latest rejection of each distinct
   * event.
   */
  List<Decision> decisions(String subjectId, String eventId);

  /** The latest signed checkpoint of the ledger's tree (of each tree: there is one). */
  List<Checkpoint> checkpoints();

  /** The signed checkpoint of the ledger's tree at {@code size}, if the ledger made one. */
  Optional<Checkpoint> checkpoint(long size);

  /** The ledger's Merkle tree of entries as this node has indexed it. */
  LogTree tree();

  /** Number of principals in the directory. */
  long principalCount();

  /**
   * Up to {@code limit} sponsors and agents in id order, starting after {@code after} (null: from
   * the first): a scan of the directory, for overviews.
   */
  List<PrincipalState> principals(String after, int limit);
}
