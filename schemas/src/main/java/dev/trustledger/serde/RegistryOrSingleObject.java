package dev.trustledger.serde;

/**
 * The registry mode's format: writes the Confluent wire format, and reads both it and Avro
 * single-object encoding, told apart by their first bytes ({@code 00} and {@code c3 01}). A topic
 * that held single-object records before its ledger moved to a registry (or that a publisher
 * without a registry writes to) reads whole; bytes of neither format are malformed, with both
 * formats named.
 *
 * @param <T> the generated Avro class
 */
public final class RegistryOrSingleObject<T> implements WireFormat<T> {
  private final WireFormat<T> registry;
  private final WireFormat<T> singleObject;

  public RegistryOrSingleObject(WireFormat<T> registry, WireFormat<T> singleObject) {
    this.registry = registry;
    this.singleObject = singleObject;
  }

  @Override
  public byte[] encode(String topic, T value) {
    return registry.encode(topic, value);
  }

  @Override
  public T decode(String topic, byte[] bytes) throws SerdeException {
    if (bytes != null && bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == 0x01) {
      return singleObject.decode(topic, bytes);
    }
    if (bytes != null && bytes.length > 0 && bytes[0] != 0) {
      throw new SerdeException(
          SerdeException.Kind.MALFORMED,
          String.format(
              "neither the Confluent wire format (00) nor Avro single-object encoding (c3 01):"
                  + " first byte %02x",
              bytes[0] & 0xff));
    }
    return registry.decode(topic, bytes);
  }
}
