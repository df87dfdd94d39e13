package dev.trustledger.encoding;

import java.util.HexFormat;

/** Lowercase hexadecimal, for logs, documentation and test vectors. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] data) {
    return FORMAT.formatHex(data);
  }

  public static byte[] decode(String hex) {
    return FORMAT.parseHex(hex);
  }
}
