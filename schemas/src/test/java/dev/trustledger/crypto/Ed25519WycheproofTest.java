package dev.trustledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.encoding.Hex;
import dev.trustledger.testutil.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Wycheproof Ed25519 verification vector through the project's verify API. */
class Ed25519WycheproofTest {
  private static final JsonNode FILE = Resources.json("vectors/wycheproof/ed25519_test.json");

  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode group : FILE.get("testGroups")) {
      String pk = group.get("publicKey").get("pk").asText();
      for (JsonNode test : group.get("tests")) {
        out.add(
            Arguments.of(
                test.get("tcId").asInt(),
                test.get("comment").asText() + " " + test.get("flags"),
                pk,
                test.get("msg").asText(),
                test.get("sig").asText(),
                test.get("result").asText()));
      }
    }
    return out.stream();
  }

  @Test
  void fileHoldsAllVectors() {
    assertThat(vectors()).hasSize(FILE.get("numberOfTests").asInt()).hasSize(151);
  }

  @ParameterizedTest(name = "tcId {0}: {1} -> {5}")
  @MethodSource("vectors")
  void verifiesAsExpected(
      int tcId, String comment, String pk, String msg, String sig, String result) {
    assertThat(result).isIn("valid", "invalid");
    boolean verified = Ed25519PublicKey.of(Hex.decode(pk)).verify(Hex.decode(msg), Hex.decode(sig));
    assertThat(verified).as("tcId %d (%s)", tcId, comment).isEqualTo(result.equals("valid"));
  }
}
