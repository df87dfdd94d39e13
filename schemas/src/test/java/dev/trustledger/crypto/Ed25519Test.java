package dev.trustledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.encoding.Hex;
import dev.trustledger.testutil.Fixtures;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  @Test
  void rfc8032TestOneSignsAndVerifies() {
    Ed25519PrivateKey key =
        Ed25519PrivateKey.fromSeed(
            Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(Hex.encode(key.publicKey().raw()))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] signature = key.sign(new byte[0]);
    assertThat(Hex.encode(signature))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(key.publicKey().verify(new byte[0], signature)).isTrue();
  }

  @Test
  void wrongKeyDoesNotVerify() {
    byte[] message = "hello".getBytes();
    byte[] signature = Fixtures.key("a").sign(message);
    assertThat(Fixtures.key("b").publicKey().verify(message, signature)).isFalse();
  }

  @Test
  void changedMessageByteDoesNotVerify() {
    Ed25519PrivateKey key = Fixtures.key("a");
    byte[] message = "hello".getBytes();
    byte[] signature = key.sign(message);
    message[0] ^= 1;
    assertThat(key.publicKey().verify(message, signature)).isFalse();
  }

  @Test
  void truncatedOrNullSignatureIsFalseNotAnException() {
    Ed25519PublicKey key = Fixtures.key("a").publicKey();
    assertThat(key.verify("m".getBytes(), new byte[63])).isFalse();
    assertThat(key.verify("m".getBytes(), null)).isFalse();
  }

  @Test
  void publicKeyOfWrongLengthIsRefused() {
    assertThatThrownBy(() -> Ed25519PublicKey.of(new byte[31]))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("got 31 bytes, want 32 bytes");
  }

  @Test
  void smallOrderPublicKeyIsRefused() {
    // The identity point: a small-order key that would accept forged signatures.
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertThatThrownBy(() -> Ed25519PublicKey.of(identity)).isInstanceOf(CryptoException.class);
  }

  @Test
  void privateKeyNeverPrintsItsSeed() {
    Ed25519PrivateKey key = Fixtures.key("a");
    assertThat(key.toString()).doesNotContain(Hex.encode(key.seed()));
  }

  @Test
  void keyCacheReturnsTheSameDecodedKey() {
    PublicKeyCache cache = new PublicKeyCache(2);
    byte[] raw = Fixtures.key("a").publicKey().raw();
    assertThat(cache.get(raw)).isSameAs(cache.get(raw));
    cache.get(Fixtures.key("b").publicKey().raw());
    cache.get(Fixtures.key("c").publicKey().raw());
    assertThat(cache.size()).isLessThanOrEqualTo(2);
  }
}
