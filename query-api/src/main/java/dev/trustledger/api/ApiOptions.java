package dev.trustledger.api;

import java.util.List;

/**
 * HTTP settings of the API.
 *
 * @param maxBodyBytes largest accepted request body
 * @param readToken bearer token required for reads, or empty for open reads
 * @param corsOrigins origins allowed by CORS; empty keeps CORS closed
 * @param metricsToken bearer token required for {@code /metrics}; empty: the read token's rule
 * @param maxThreads most request threads
 * @param maxBodyReaders most requests reading a body at once; others get 503 at once
 */
public record ApiOptions(
    long maxBodyBytes,
    String readToken,
    List<String> corsOrigins,
    String metricsToken,
    int maxThreads,
    int maxBodyReaders) {
  public static final ApiOptions DEFAULTS = new ApiOptions(64 * 1024, "", List.of());

  /** Options with the default limits of threads and body readers. */
  public ApiOptions(long maxBodyBytes, String readToken, List<String> corsOrigins) {
    this(maxBodyBytes, readToken, corsOrigins, "", 200, 32);
  }
}
