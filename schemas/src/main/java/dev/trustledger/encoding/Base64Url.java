package dev.trustledger.encoding;

import java.util.Base64;

/** Base64url without padding: how keys, signatures and hashes travel in JSON. */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  public static String encode(byte[] data) {
    return ENCODER.encodeToString(data);
  }

  /**
   * Decodes base64url without padding.
   *
   * @throws IllegalArgumentException if {@code s} has padding or characters outside the url-safe
   *     alphabet
   */
  public static byte[] decode(String s) {
    if (s.indexOf('=') >= 0) {
      throw new IllegalArgumentException("base64url must not be padded");
    }
    return DECODER.decode(s);
  }
}
