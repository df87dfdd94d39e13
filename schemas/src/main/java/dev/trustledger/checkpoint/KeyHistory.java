package dev.trustledger.checkpoint;

import dev.trustledger.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys a ledger has signed its checkpoints with: its genesis key, then each key it rotated to
 * by a KeyRotated entry of its own chain (docs/spec.md section 9.2). A checkpoint of size N is
 * signed with the key in force after the entries below N: the last rotation whose ledger_seq is
 * below N, or the genesis key.
 */
public final class KeyHistory {
  /**
   * A rotation of the ledger's key.
   *
   * @param ledgerSeq the ledger_seq of the rotation's entry
   * @param key the key in force from the next entry's checkpoints on
   */
  public record Change(long ledgerSeq, Ed25519PublicKey key) {}

  private final String name;
  private final Ed25519PublicKey genesis;
  private final List<Change> changes;

  private KeyHistory(String name, Ed25519PublicKey genesis, List<Change> changes) {
    this.name = name;
    this.genesis = genesis;
    this.changes = List.copyOf(changes);
    for (int i = 1; i < this.changes.size(); i++) {
      if (this.changes.get(i).ledgerSeq() <= this.changes.get(i - 1).ledgerSeq()) {
        throw new IllegalArgumentException("key changes must be in ledger order");
      }
    }
  }

  /** A ledger that never rotated its key. */
  public static KeyHistory of(String name, Ed25519PublicKey genesis) {
    return new KeyHistory(name, genesis, List.of());
  }

  public static KeyHistory of(String name, Ed25519PublicKey genesis, List<Change> changes) {
    return new KeyHistory(name, genesis, changes);
  }

  /** This history with one more rotation, after every one it has. */
  public KeyHistory with(Change change) {
    List<Change> more = new ArrayList<>(changes);
    more.add(change);
    return new KeyHistory(name, genesis, more);
  }

  public String name() {
    return name;
  }

  public Ed25519PublicKey genesis() {
    return genesis;
  }

  public List<Change> changes() {
    return changes;
  }

  /** The key in force now: the last rotation's, or the genesis key. */
  public Ed25519PublicKey current() {
    return changes.isEmpty() ? genesis : changes.get(changes.size() - 1).key();
  }

  /** The key that signs a checkpoint of {@code size} entries. */
  public Ed25519PublicKey keyAt(long size) {
    Ed25519PublicKey key = genesis;
    for (Change c : changes) {
      if (c.ledgerSeq() < size) {
        key = c.key();
      }
    }
    return key;
  }

  /** Whether {@code key} is one of the ledger's keys (the genesis key or one it rotated to). */
  public boolean holds(Ed25519PublicKey key) {
    return genesis.equals(key) || changes.stream().anyMatch(c -> c.key().equals(key));
  }

  /**
   * The checkpoint {@code note} states, when the key in force at its size signed it.
   *
   * @throws NoteException when it does not parse or that key did not sign it
   */
  public CheckpointBody verify(SignedNote note) throws NoteException {
    CheckpointBody claimed = CheckpointBody.parse(note.text());
    return new NoteKey(name, keyAt(claimed.size())).verify(note);
  }

  /** As {@link #verify(SignedNote)}, from the note's text. */
  public CheckpointBody verify(String note) throws NoteException {
    return verify(SignedNote.parse(note));
  }
}
