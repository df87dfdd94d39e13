package dev.trustledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.testutil.Fixtures;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class NoteKeyTest {
  private final Ed25519PrivateKey ledgerKey = Fixtures.key("ledger");
  private final NoteKey key = new NoteKey("trustledger.example", ledgerKey.publicKey());
  private final CheckpointBody body =
      new CheckpointBody(CheckpointBody.origin("trustledger.example", 0), 7, new byte[32]);

  @Test
  void noteIsBodyBlankLineAndOneSignatureLine() {
    String note = key.sign(body, ledgerKey);
    assertThat(note)
        .startsWith(
            "trustledger.example\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n"
                + "\u2014 trustledger.example ");
    assertThat(note).endsWith("\n");
    String blob = note.substring(note.lastIndexOf(' ') + 1, note.length() - 1);
    assertThat(Base64.getDecoder().decode(blob)).hasSize(68).startsWith(key.keyId());
  }

  @Test
  void signedNoteVerifiesAndYieldsTheBody() throws NoteException {
    assertThat(key.verify(key.sign(body, ledgerKey))).isEqualTo(body);
  }

  @Test
  void verifierKeyHasNameKeyIdAndTypedKey() {
    String[] parts = key.verifierKey().split("\\+", 3);
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("trustledger.example");
    assertThat(parts[1]).hasSize(8);
    assertThat(Base64.getDecoder().decode(parts[2])).hasSize(33).startsWith((byte) 1);
  }

  @Test
  void changedSizeIsDetected() {
    String note = key.sign(body, ledgerKey).replaceFirst("\n7\n", "\n8\n");
    assertThatThrownBy(() -> key.verify(note))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void signatureByAnotherKeyUnderTheSameNameIsNotAccepted() {
    Ed25519PrivateKey other = Fixtures.key("impostor");
    String forged = new NoteKey("trustledger.example", other.publicKey()).sign(body, other);
    assertThatThrownBy(() -> key.verify(forged))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("no signature of key");
  }

  @Test
  void noteWithoutSignaturesIsRefused() {
    assertThatThrownBy(() -> key.verify(body.text()))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("blank line");
  }

  @Test
  void nonCanonicalSizeIsRefused() {
    assertThatThrownBy(
            () -> CheckpointBody.parse("o\n07\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("canonical");
  }

  @Test
  void verifierKeyRoundTripsAndTheSpecificationsExampleVerifies() throws NoteException {
    assertThat(NoteKey.parse(key.verifierKey()).publicKey()).isEqualTo(key.publicKey());
    // The example of C2SP signed-note.
    NoteKey example =
        NoteKey.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    example.verifyText(
        SignedNote.parse(
            "This is an example message.\n\n\u2014 example.com/foo"
                + " Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"));
  }

  @Test
  void aVerifierKeyWhoseIdDoesNotMatchIsRefused() {
    String vkey = key.verifierKey();
    String wrongId = vkey.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThatThrownBy(() -> NoteKey.parse(wrongId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id");
  }

  @Test
  void extensionLinesAreRefused() {
    assertThatThrownBy(
            () ->
                CheckpointBody.parse(
                    "o\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nextension\n"))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("no extension lines");
  }

  @Test
  void controlCharactersAreRefused() {
    String note = key.sign(body, ledgerKey).replace("\n7\n", "\n7\r\n");
    assertThatThrownBy(() -> key.verify(note))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("control character");
  }
}
