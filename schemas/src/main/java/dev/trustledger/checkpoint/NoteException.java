package dev.trustledger.checkpoint;

/** A signed note or checkpoint that is malformed or whose signature does not verify. */
public final class NoteException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoteException(String message) {
    super(message);
  }
}
