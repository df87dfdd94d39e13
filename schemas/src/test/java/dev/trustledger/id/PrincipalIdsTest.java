package dev.trustledger.id;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Base32;
import dev.trustledger.encoding.Hex;
import dev.trustledger.testutil.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PrincipalIdsTest {
  private final byte[] key = Fixtures.key("agent-1").publicKey().raw();

  @Test
  void idIsPrefixPlusBase32OfFirstTwentyBytesOfKeyHash() {
    String expected = "agt_" + Base32.encode(Arrays.copyOf(Sha256.hash(key), 20));
    assertThat(PrincipalIds.of(PrincipalKind.AGENT, key)).isEqualTo(expected).hasSize(36);
  }

  @Test
  void base32MatchesRfc4648TestVectorsInLowercaseWithoutPadding() {
    assertThat(Base32.encode("".getBytes())).isEmpty();
    assertThat(Base32.encode("f".getBytes())).isEqualTo("my");
    assertThat(Base32.encode("fo".getBytes())).isEqualTo("mzxq");
    assertThat(Base32.encode("foo".getBytes())).isEqualTo("mzxw6");
    assertThat(Base32.encode("foob".getBytes())).isEqualTo("mzxw6yq");
    assertThat(Base32.encode("fooba".getBytes())).isEqualTo("mzxw6ytb");
    assertThat(Base32.encode("foobar".getBytes())).isEqualTo("mzxw6ytboi");
  }

  @Test
  void knownKeyGivesKnownIds() {
    // RFC 8032 test 1 public key.
    byte[] rfcKey = Hex.decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    String body = Base32.encode(Arrays.copyOf(Sha256.hash(rfcKey), 20));
    assertThat(PrincipalIds.of(PrincipalKind.ADMIN, rfcKey)).isEqualTo("adm_" + body);
    assertThat(PrincipalIds.of(PrincipalKind.SPONSOR, rfcKey)).isEqualTo("spn_" + body);
  }

  @Test
  void kindIsReadFromTheWellFormedPrefix() {
    String id = PrincipalIds.of(PrincipalKind.SPONSOR, key);
    assertThat(PrincipalIds.kindOf(id)).contains(PrincipalKind.SPONSOR);
    assertThat(PrincipalIds.isWellFormed(id, PrincipalKind.SPONSOR)).isTrue();
    assertThat(PrincipalIds.isWellFormed(id, PrincipalKind.AGENT)).isFalse();
  }

  @Test
  void wrongPrefixIsNotAnId() {
    String id = PrincipalIds.of(PrincipalKind.AGENT, key);
    assertThat(PrincipalIds.kindOf("usr_" + id.substring(4))).isEmpty();
  }

  @Test
  void uppercaseOrPaddedOrTruncatedIdIsNotAnId() {
    String id = PrincipalIds.of(PrincipalKind.AGENT, key);
    assertThat(PrincipalIds.kindOf(id.toUpperCase())).isEmpty();
    assertThat(PrincipalIds.kindOf(id + "====")).isEmpty();
    assertThat(PrincipalIds.kindOf(id.substring(0, id.length() - 1))).isEmpty();
    assertThat(PrincipalIds.kindOf(null)).isEmpty();
  }

  @Test
  void idOfAnotherKeyDoesNotMatch() {
    String id = PrincipalIds.of(PrincipalKind.AGENT, key);
    byte[] other = Fixtures.key("agent-2").publicKey().raw();
    assertThat(PrincipalIds.matches(id, PrincipalKind.AGENT, key)).isTrue();
    assertThat(PrincipalIds.matches(id, PrincipalKind.AGENT, other)).isFalse();
    assertThat(PrincipalIds.matches(id, PrincipalKind.SPONSOR, key)).isFalse();
  }
}
