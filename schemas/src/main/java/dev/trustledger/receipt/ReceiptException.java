package dev.trustledger.receipt;

/** A receipt that is malformed or does not verify. */
public final class ReceiptException extends Exception {
  public ReceiptException(String message) {
    super(message);
  }
}
