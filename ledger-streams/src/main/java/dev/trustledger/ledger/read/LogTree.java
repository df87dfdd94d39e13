package dev.trustledger.ledger.read;

import dev.trustledger.merkle.NodeSource;
import java.util.Optional;

/**
 * The ledger's Merkle tree of entries as a node has indexed it: the hashes of its perfect subtrees
 * ({@link NodeSource}) for the first {@link #size} entries, and each entry's bytes by position.
 */
public interface LogTree extends NodeSource {
  /** Entries 0 .. size - 1 are all indexed: proofs and tiles can be made up to this size. */
  long size();

  /** The leaf data (the LedgerEntry's Avro binary) of the entry at {@code ledgerSeq}. */
  Optional<byte[]> leafData(long ledgerSeq);
}
