package dev.trustledger.ledger.topology;

/**
 * The node's configuration contradicts the ledger's log (its parameters or its key): the node stops
 * rather than re-read history under other parameters.
 */
public final class LedgerConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerConfigurationException(String message) {
    super(message);
  }
}
