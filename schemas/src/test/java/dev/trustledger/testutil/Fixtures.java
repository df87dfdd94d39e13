package dev.trustledger.testutil;

import dev.trustledger.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic keys for tests: the same name always gives the same key. */
public final class Fixtures {
  private Fixtures() {}

  /** The key whose seed is SHA-256 of {@code name}. */
  public static Ed25519PrivateKey key(String name) {
    try {
      byte[] seed =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return Ed25519PrivateKey.fromSeed(seed);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
