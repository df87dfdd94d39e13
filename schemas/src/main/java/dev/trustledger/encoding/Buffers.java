package dev.trustledger.encoding;

import java.nio.ByteBuffer;

/** Conversions between Avro's {@link ByteBuffer} bytes fields and arrays. */
public final class Buffers {
  private Buffers() {}

  /** The remaining bytes of {@code buffer}, without moving its position; null stays null. */
  public static byte[] toArray(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer view = buffer.duplicate();
    byte[] out = new byte[view.remaining()];
    view.get(out);
    return out;
  }

  /** Wraps a copy of {@code bytes}; null stays null. */
  public static ByteBuffer wrap(byte[] bytes) {
    return bytes == null ? null : ByteBuffer.wrap(bytes.clone());
  }
}
