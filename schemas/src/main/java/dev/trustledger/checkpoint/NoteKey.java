package dev.trustledger.checkpoint;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A named Ed25519 key of the C2SP signed-note format. Its 4-byte key id is the first 4 bytes of
 * {@code SHA-256(<name> || "\n" || 0x01 || public key)}.
 */
public final class NoteKey {
  /** Signature type byte of Ed25519 in signed notes. */
  static final byte ED25519_TYPE = 0x01;

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

  /**
   * The note key of a verifier key string ({@code <name>+<hex key id>+<base64(0x01 || key)>}).
   *
   * @throws IllegalArgumentException when it is not an Ed25519 verifier key whose id matches
   */
  public static NoteKey parse(String verifierKey) {
    VerifierKeys.Parsed p = VerifierKeys.parse(verifierKey, ED25519_TYPE);
    NoteKey key = new NoteKey(p.name(), p.publicKey());
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

  /** The 4-byte key id. */
  public byte[] keyId() {
    return keyId.clone();
  }

  /**
   * The verifier key string of C2SP signed-note (and Go's {@code golang.org/x/mod/sumdb/note}):
   * {@code <name>+<hex key id>+<base64(0x01 || public key)>}.
   */
  public String verifierKey() {
    return VerifierKeys.format(name, keyId, ED25519_TYPE, publicKey);
  }

  /** The signed note of {@code body}, signed with {@code key} (which must match this name key). */
  public String sign(CheckpointBody body, Ed25519PrivateKey key) {
    return body.text() + "\n" + signature(body.bytes(), key).line();
  }

  /** This key's signature line over note text {@code text}. */
  public SignedNote.Signature signature(byte[] text, Ed25519PrivateKey key) {
    if (!key.publicKey().equals(publicKey)) {
      throw new IllegalArgumentException("private key does not match note key " + name);
    }
    byte[] signature = key.sign(text);
    byte[] blob = new byte[4 + signature.length];
    System.arraycopy(keyId, 0, blob, 0, 4);
    System.arraycopy(signature, 0, blob, 4, signature.length);
    return new SignedNote.Signature(name, blob);
  }

  /**
   * Verifies a signed note and returns its checkpoint body. Signature lines of other keys are
   * ignored; at least one line must be this key's, and every line of this key must verify.
   *
   * @throws NoteException when the note is malformed, lacks this key's signature, or a signature of
   *     this key does not verify
   */
  public CheckpointBody verify(String note) throws NoteException {
    return verify(SignedNote.parse(note));
  }

  /** {@link #verify(String)} of a parsed note. */
  public CheckpointBody verify(SignedNote note) throws NoteException {
    verifyText(note);
    return CheckpointBody.parse(note.text());
  }

  /**
   * Verifies that this key signed the note's text, whatever the text says.
   *
   * @throws NoteException when it did not, or a line of this key does not verify
   */
  public void verifyText(SignedNote note) throws NoteException {
    byte[] text = note.textBytes();
    boolean found = false;
    for (SignedNote.Signature s : note.signatures()) {
      if (!s.matches(name, keyId)) {
        continue;
      }
      if (!publicKey.verify(text, s.signature())) {
        throw new NoteException("signature of " + name + " does not verify");
      }
      found = true;
    }
    if (!found) {
      throw new NoteException("signed note carries no signature of key " + name);
    }
  }
}
