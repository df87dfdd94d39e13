package dev.trustledger.merkle;

/** A Merkle proof that does not verify, or a request for a proof that cannot exist. */
public final class ProofException extends Exception {
  public ProofException(String message) {
    super(message);
  }
}
