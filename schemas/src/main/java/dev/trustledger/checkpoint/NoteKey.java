package dev.trustledger.checkpoint;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A named Ed25519 key of the C2SP signed-note format. Its 4-byte key id is the first 4 bytes of
 * {@code SHA-256(<name> || "\n" || 0x01 || public key)}.
 */
public final class NoteKey {
  /** Signature type byte of Ed25519 in signed notes. */
  static final byte ED25519_TYPE = 0x01;

  /** The em dash (U+2014) and space that start every signature line. */
  static final String SIGNATURE_PREFIX = "\u2014 ";

  private final String name;
  private final Ed25519PublicKey publicKey;
  private final byte[] keyId;

  public NoteKey(String name, Ed25519PublicKey publicKey) {
    if (name == null || name.isEmpty() || name.contains("+") || name.matches(".*\\s.*")) {
      throw new IllegalArgumentException(
          "note key name must be non-empty, without spaces or '+': '" + name + "'");
    }
    this.name = name;
    this.publicKey = publicKey;
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] material = new byte[nameBytes.length + 2 + Ed25519PublicKey.LENGTH];
    System.arraycopy(nameBytes, 0, material, 0, nameBytes.length);
    material[nameBytes.length] = '\n';
    material[nameBytes.length + 1] = ED25519_TYPE;
    System.arraycopy(publicKey.raw(), 0, material, nameBytes.length + 2, Ed25519PublicKey.LENGTH);
    this.keyId = Arrays.copyOf(Sha256.hash(material), 4);
  }

  public String name() {
    return name;
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The 4-byte key id. */
  public byte[] keyId() {
    return keyId.clone();
  }

  /**
   * The verifier key string of Go's {@code golang.org/x/mod/sumdb/note}: {@code <name>+<hex key
   * id>+<base64(0x01 || public key)>}.
   */
  public String verifierKey() {
    byte[] typed = new byte[1 + Ed25519PublicKey.LENGTH];
    typed[0] = ED25519_TYPE;
    System.arraycopy(publicKey.raw(), 0, typed, 1, Ed25519PublicKey.LENGTH);
    return name + "+" + Hex.encode(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /** The signed note of {@code body}, signed with {@code key} (which must match this name key). */
  public String sign(CheckpointBody body, Ed25519PrivateKey key) {
    if (!key.publicKey().equals(publicKey)) {
      throw new IllegalArgumentException("private key does not match note key " + name);
    }
    byte[] signature = key.sign(body.bytes());
    byte[] blob = new byte[4 + signature.length];
    System.arraycopy(keyId, 0, blob, 0, 4);
    System.arraycopy(signature, 0, blob, 4, signature.length);
    return body.text()
        + "\n"
        + SIGNATURE_PREFIX
        + name
        + " "
        + Base64.getEncoder().encodeToString(blob)
        + "\n";
  }

  /**
   * Verifies a signed note and returns its checkpoint body. Signature lines of other keys are
   * ignored; at least one line must be this key's, and every line of this key must verify.
   *
   * @throws NoteException when the note is malformed, lacks this key's signature, or a signature of
   *     this key does not verify
   */
  public CheckpointBody verify(String note) throws NoteException {
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteException("signed note has no blank line before its signatures");
    }
    String bodyText = note.substring(0, split + 1);
    String signatures = note.substring(split + 2);
    if (!signatures.endsWith("\n")) {
      throw new NoteException("signed note must end with a newline");
    }
    byte[] bodyBytes = bodyText.getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    for (String line : signatures.substring(0, signatures.length() - 1).split("\n", -1)) {
      if (!line.startsWith(SIGNATURE_PREFIX)) {
        throw new NoteException("malformed signature line: '" + line + "'");
      }
      String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
      if (parts.length != 2) {
        throw new NoteException("malformed signature line: '" + line + "'");
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new NoteException("signature is not base64: '" + parts[1] + "'");
      }
      if (!parts[0].equals(name) || blob.length < 4 || !Arrays.equals(blob, 0, 4, keyId, 0, 4)) {
        continue;
      }
      if (!publicKey.verify(bodyBytes, Arrays.copyOfRange(blob, 4, blob.length))) {
        throw new NoteException("signature of " + name + " does not verify");
      }
      found = true;
    }
    if (!found) {
      throw new NoteException("signed note carries no signature of key " + name);
    }
    return CheckpointBody.parse(bodyText);
  }
}
