package dev.trustledger.encoding;

import java.util.HexFormat;

/** Lowercase hexadecimal, for logs, documentation and test vectors. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] data) {
    return FORMAT.formatHex(data);
  }

  /** The 16 lowercase hex digits of {@code value}, as {@code String.format("%016x", value)}. */
  public static String digits(long value) {
    return FORMAT.toHexDigits(value);
  }

  /** The 2 lowercase hex digits of {@code value}, as {@code String.format("%02x", value)}. */
  public static String digits(byte value) {
    return FORMAT.toHexDigits(value);
  }

  public static byte[] decode(String hex) {
    return FORMAT.parseHex(hex);
  }
}
