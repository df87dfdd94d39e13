package dev.trustledger.checkpoint;

import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Hex;
import java.util.Arrays;
import java.util.Base64;

/** Verifier keys of C2SP signed-note: {@code <name>+<hex key id>+<base64(type || public key)>}. */
final class VerifierKeys {
  private VerifierKeys() {}

  record Parsed(String name, byte[] keyId, Ed25519PublicKey publicKey) {}

  static Parsed parse(String vkey, byte type) {
    // The name holds no '+', the key id is 8 hex digits; the base64 after them may hold '+'.
    int first = vkey.indexOf('+');
    String[] parts =
        first < 0 || vkey.length() < first + 10 || vkey.charAt(first + 9) != '+'
            ? new String[0]
            : new String[] {
              vkey.substring(0, first),
              vkey.substring(first + 1, first + 9),
              vkey.substring(first + 10)
            };
    if (parts.length != 3 || parts[0].isEmpty()) {
      throw new IllegalArgumentException(
          "not a verifier key <name>+<hex key id>+<base64 key>: '" + vkey + "'");
    }
    byte[] id;
    byte[] typed;
    try {
      id = Hex.decode(parts[1]);
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("verifier key '" + vkey + "': " + e.getMessage());
    }
    if (typed.length != 1 + Ed25519PublicKey.LENGTH || typed[0] != type) {
      throw new IllegalArgumentException(
          "verifier key '"
              + vkey
              + "' is not of signature type 0x0"
              + type
              + (type == 0x01 ? " (Ed25519)" : " (Ed25519 cosignature)"));
    }
    try {
      return new Parsed(
          parts[0], id, Ed25519PublicKey.of(Arrays.copyOfRange(typed, 1, typed.length)));
    } catch (CryptoException e) {
      throw new IllegalArgumentException("verifier key '" + vkey + "': " + e.getMessage());
    }
  }

  static String format(String name, byte[] keyId, byte type, Ed25519PublicKey key) {
    byte[] typed = new byte[1 + Ed25519PublicKey.LENGTH];
    typed[0] = type;
    System.arraycopy(key.raw(), 0, typed, 1, Ed25519PublicKey.LENGTH);
    return name + "+" + Hex.encode(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
  }
}
