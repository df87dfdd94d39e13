package dev.trustledger.crypto;

/** A key or signature that cannot be used: wrong length, not a curve point, unreadable file. */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
