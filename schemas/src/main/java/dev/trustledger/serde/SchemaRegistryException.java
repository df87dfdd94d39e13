package dev.trustledger.serde;

/**
 * A schema registry call that failed: the registry answered with an error, or could not be reached.
 * Carries the HTTP status (or -1 when there was no answer) and the registry's error code.
 */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.errorCode = -1;
  }

  /** HTTP status of the answer, or -1 when the registry could not be reached. */
  public int status() {
    return status;
  }

  /** The registry's {@code error_code}, or -1 when it gave none. */
  public int errorCode() {
    return errorCode;
  }

  /** True when the registry said the schema or subject does not exist. */
  public boolean isNotFound() {
    return status == 404;
  }
}
