package dev.trustledger.ledger.store;

import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Ed25519PrivateKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for a topic only the ledger's own nodes write: each value is followed by its HMAC-SHA256,
 * keyed by a key derived from the ledger's private key, which every node holds. A value whose MAC
 * does not verify deserializes to null: whoever wrote it is not a node of this ledger.
 */
public final class AuthenticatedSerde {
  static final int MAC_LENGTH = 32;

  private AuthenticatedSerde() {}

  /** {@code inner}'s values, authenticated with the key derived from {@code ledgerKey}. */
  public static <T> Serde<T> of(Serde<T> inner, Ed25519PrivateKey ledgerKey) {
    byte[] key = hmac(ledgerKey.seed(), Domain.SEQUENCER_MAC.bytes());
    Serializer<T> serializer =
        (topic, value) -> {
          byte[] body = inner.serializer().serialize(topic, value);
          if (body == null) {
            return null;
          }
          byte[] out = Arrays.copyOf(body, body.length + MAC_LENGTH);
          System.arraycopy(hmac(key, body), 0, out, body.length, MAC_LENGTH);
          return out;
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null || bytes.length < MAC_LENGTH) {
            return null;
          }
          byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_LENGTH);
          byte[] mac = Arrays.copyOfRange(bytes, body.length, bytes.length);
          if (!MessageDigest.isEqual(mac, hmac(key, body))) {
            return null;
          }
          try {
            return inner.deserializer().deserialize(topic, body);
          } catch (RuntimeException e) {
            return null;
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
