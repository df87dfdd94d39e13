package dev.trustledger.serde;

/**
 * Bytes that cannot be decoded. {@link Kind} says whether the bytes are broken or merely written
 * with a schema this reader does not know; the ledger turns each into its rejection reason.
 */
public final class SerdeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why bytes could not be decoded. */
  public enum Kind {
    /** Not a valid encoding: bad header, truncated, trailing bytes, invalid Avro data. */
    MALFORMED,
    /** A well-formed header naming a schema that is unknown or cannot be read as ours. */
    UNSUPPORTED_SCHEMA
  }

  private final Kind kind;

  public SerdeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SerdeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
