package dev.trustledger.api;

import java.util.List;

/**
 * HTTP settings of the API.
 *
 * @param maxBodyBytes largest accepted request body
 * @param readToken bearer token required for reads, or empty for open reads
 * @param corsOrigins origins allowed by CORS; empty keeps CORS closed
 */
public record ApiOptions(long maxBodyBytes, String readToken, List<String> corsOrigins) {
  public static final ApiOptions DEFAULTS = new ApiOptions(64 * 1024, "", List.of());
}
