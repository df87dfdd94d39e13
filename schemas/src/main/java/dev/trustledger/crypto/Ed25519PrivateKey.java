package dev.trustledger.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (the 32-byte seed) together with its public key, so that signing does not
 * derive the public key again. {@link #toString()} never shows key material.
 */
public final class Ed25519PrivateKey {
  public static final int LENGTH = 32;

  private final byte[] seed;
  private final byte[] publicRaw;
  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(byte[] seed) {
    this.seed = seed;
    this.publicRaw = new byte[Ed25519PublicKey.LENGTH];
    Ed25519.generatePublicKey(seed, 0, publicRaw, 0);
    this.publicKey = Ed25519PublicKey.of(publicRaw);
  }

  /** A new random key. */
  public static Ed25519PrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[LENGTH];
    random.nextBytes(seed);
    return new Ed25519PrivateKey(seed);
  }

  /** A new key from the platform's strong random source. */
  public static Ed25519PrivateKey generate() {
    return generate(new SecureRandom());
  }

  /** The key whose RFC 8032 seed is {@code seed} (32 bytes). */
  public static Ed25519PrivateKey fromSeed(byte[] seed) {
    if (seed == null || seed.length != LENGTH) {
      throw new CryptoException(
          "Ed25519 private key: got "
              + (seed == null ? "null" : seed.length + " bytes")
              + ", want "
              + LENGTH
              + " bytes");
    }
    return new Ed25519PrivateKey(seed.clone());
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** A copy of the seed, for writing a key file. Handle with care. */
  public byte[] seed() {
    return seed.clone();
  }

  /** A pure Ed25519 signature (RFC 8032), 64 bytes. */
  public byte[] sign(byte[] message) {
    byte[] signature = new byte[Ed25519PublicKey.SIGNATURE_LENGTH];
    Ed25519.sign(seed, 0, publicRaw, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey + "]";
  }
}
