package dev.trustledger.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.testutil.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Values of the sequencer topic carry a MAC only the ledger's nodes can make. */
class AuthenticatedSerdeTest {
  private final Serde<String> serde =
      AuthenticatedSerde.of(Serdes.String(), Fixtures.key("ledger"));

  @Test
  void whatANodeWritesANodeReads() {
    byte[] bytes = serde.serializer().serialize("t", "an input");
    assertThat(bytes).hasSize("an input".length() + AuthenticatedSerde.MAC_LENGTH);
    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo("an input");
  }

  @Test
  void aChangedByteIsRefused() {
    byte[] bytes = serde.serializer().serialize("t", "an input");
    bytes[1] ^= 1;
    assertThat(serde.deserializer().deserialize("t", bytes)).isNull();
  }

  @Test
  void aValueWithoutMacIsRefused() {
    assertThat(serde.deserializer().deserialize("t", "an input".getBytes(StandardCharsets.UTF_8)))
        .isNull();
    assertThat(serde.deserializer().deserialize("t", new byte[3])).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void anotherLedgersNodeCannotWriteIt() {
    Serde<String> other = AuthenticatedSerde.of(Serdes.String(), Fixtures.key("other-ledger"));
    byte[] bytes = other.serializer().serialize("t", "an input");
    assertThat(serde.deserializer().deserialize("t", bytes)).isNull();
    assertThat(Arrays.equals(bytes, serde.serializer().serialize("t", "an input"))).isFalse();
  }
}
