package dev.trustledger.ledger.sequencer;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.checkpoint.CheckpointBody;
import java.util.List;
import java.util.Optional;

/**
 * Everything the ledger writes for one input, in order: the entries with their partitions, or the
 * rejection; the keys to publish; the checkpoints now due; and the state changes.
 *
 * @param entries new entries in ledger order (an accepted event, then its cascade)
 * @param rejection the rejection, when the input was not accepted
 * @param keys signer keys to publish on {@code ledger.keys}
 * @param checkpoints checkpoints to sign and publish
 * @param changes the state after this step, as changes
 */
public record Step(
    List<Placed> entries,
    Optional<Rejection> rejection,
    List<KeyUpdate> keys,
    List<CheckpointDue> checkpoints,
    StateChanges changes) {

  public Step {
    entries = List.copyOf(entries);
    keys = List.copyOf(keys);
    checkpoints = List.copyOf(checkpoints);
  }

  /** An entry and the partition of {@code ledger.entries} it belongs in. */
  public record Placed(int partition, LedgerEntry entry) {}

  /**
   * A signer key the verify stage should know.
   *
   * @param principalId the signer's id
   * @param publicKey its raw key, or null when it no longer signs (an admin removed)
   * @param firstPublicKey after a rotation, the key its id is the hash of; else null
   * @param ledgerSeq the ledger_seq of the entry that gave it the key or took it away
   */
  public record KeyUpdate(
      String principalId, byte[] publicKey, byte[] firstPublicKey, long ledgerSeq) {
    public KeyUpdate(String principalId, byte[] publicKey, long ledgerSeq) {
      this(principalId, publicKey, null, ledgerSeq);
    }
  }

  /** A checkpoint of tree {@code tree} to sign with the ledger key. */
  public record CheckpointDue(int tree, CheckpointBody body, long time) {}

  public boolean accepted() {
    return rejection.isEmpty() && !entries.isEmpty();
  }
}
