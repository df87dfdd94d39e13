package dev.trustledger.api;

/**
 * Where the ledger's state can be read right now: here, on another node (whose base URL is given),
 * or nowhere while the stores move or restore.
 */
public interface StoreLocator {

  /** The answer of {@link #locate()}. */
  record Location(Kind kind, String baseUrl) {
    public enum Kind {
      LOCAL,
      REMOTE,
      UNAVAILABLE
    }

    public static Location local() {
      return new Location(Kind.LOCAL, null);
    }

    public static Location remote(String baseUrl) {
      return new Location(Kind.REMOTE, baseUrl);
    }

    public static Location unavailable() {
      return new Location(Kind.UNAVAILABLE, null);
    }
  }

  Location locate();

  /** Always local: a single node, or a test. */
  static StoreLocator local() {
    return Location::local;
  }
}
