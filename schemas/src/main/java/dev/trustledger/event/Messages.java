package dev.trustledger.event;

import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;

/**
 * Signatures of arbitrary messages by an agent, as a gateway checks them through {@code POST
 * /v1/verify}. The signed bytes are {@code "trustledger/v1/message\n" || message}: the prefix keeps
 * a message signature from ever being valid as an event signature.
 */
public final class Messages {
  private Messages() {}

  public static byte[] sign(Ed25519PrivateKey key, byte[] message) {
    return key.sign(Domain.MESSAGE.prefix(message));
  }

  public static boolean verify(Ed25519PublicKey key, byte[] message, byte[] signature) {
    return key.verify(Domain.MESSAGE.prefix(message), signature);
  }
}
