package dev.trustledger.checkpoint;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A witness's Ed25519 key for C2SP tlog-cosignature (signature type 0x04). A cosignature line's
 * blob is the key id, an 8-byte big-endian POSIX timestamp (seconds) and an Ed25519 signature over
 * {@code "cosignature/v1\ntime <timestamp>\n" || checkpoint body}.
 */
public final class CosignerKey {
  static final byte COSIGNATURE_TYPE = 0x04;

  private final String name;
  private final Ed25519PublicKey publicKey;
  private final byte[] keyId;

  public CosignerKey(String name, Ed25519PublicKey publicKey) {
    if (name == null || name.isEmpty() || name.contains("+") || name.matches(".*\\s.*")) {
      throw new IllegalArgumentException(
          "cosigner name must be non-empty, without spaces or '+': '" + name + "'");
    }
    this.name = name;
    this.publicKey = publicKey;
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] material = new byte[nameBytes.length + 2 + Ed25519PublicKey.LENGTH];
    System.arraycopy(nameBytes, 0, material, 0, nameBytes.length);
    material[nameBytes.length] = '\n';
    material[nameBytes.length + 1] = COSIGNATURE_TYPE;
    System.arraycopy(publicKey.raw(), 0, material, nameBytes.length + 2, Ed25519PublicKey.LENGTH);
    this.keyId = Arrays.copyOf(Sha256.hash(material), 4);
  }

  /**
   * The cosigner key of a verifier key string ({@code <name>+<hex key id>+<base64(0x04 || key)>}).
   *
   * @throws IllegalArgumentException when it is not a cosignature verifier key whose id matches
   */
  public static CosignerKey parse(String verifierKey) {
    VerifierKeys.Parsed p = VerifierKeys.parse(verifierKey, COSIGNATURE_TYPE);
    CosignerKey key = new CosignerKey(p.name(), p.publicKey());
    if (!Arrays.equals(key.keyId, p.keyId())) {
      throw new IllegalArgumentException("verifier key " + verifierKey + ": key id does not match");
    }
    return key;
  }

  public String name() {
    return name;
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  public byte[] keyId() {
    return keyId.clone();
  }

  public String verifierKey() {
    return VerifierKeys.format(name, keyId, COSIGNATURE_TYPE, publicKey);
  }

  /** The signed message of a cosignature at {@code timestamp} over note text {@code text}. */
  static byte[] message(long timestamp, byte[] text) {
    byte[] head = ("cosignature/v1\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + text.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(text, 0, out, head.length, text.length);
    return out;
  }

  /** This key's cosignature at {@code timestamp} (POSIX seconds) over note text {@code text}. */
  public SignedNote.Signature cosign(byte[] text, long timestamp, Ed25519PrivateKey key) {
    if (!key.publicKey().equals(publicKey)) {
      throw new IllegalArgumentException("private key does not match cosigner key " + name);
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException("cosignature time must not be negative");
    }
    byte[] signature = key.sign(message(timestamp, text));
    ByteBuffer blob = ByteBuffer.allocate(4 + 8 + signature.length);
    blob.put(keyId).putLong(timestamp).put(signature);
    return new SignedNote.Signature(name, blob.array());
  }

  /**
   * The time of this key's cosignature on {@code note}, when it has one; empty when no line is this
   * key's.
   *
   * @throws NoteException when a line of this key does not verify
   */
  public Optional<Long> verify(SignedNote note) throws NoteException {
    byte[] text = note.textBytes();
    Optional<Long> time = Optional.empty();
    for (SignedNote.Signature s : note.signatures()) {
      if (!s.matches(name, keyId)) {
        continue;
      }
      byte[] blob = s.signature();
      if (blob.length != 8 + 64) {
        throw new NoteException("cosignature of " + name + " is not a timestamped Ed25519 one");
      }
      long timestamp = ByteBuffer.wrap(blob, 0, 8).getLong();
      if (timestamp < 0) {
        throw new NoteException("cosignature of " + name + " has a negative time");
      }
      byte[] signature = Arrays.copyOfRange(blob, 8, blob.length);
      if (!publicKey.verify(message(timestamp, text), signature)) {
        throw new NoteException("cosignature of " + name + " does not verify");
      }
      time = Optional.of(time.map(t -> Math.max(t, timestamp)).orElse(timestamp));
    }
    return time;
  }
}
