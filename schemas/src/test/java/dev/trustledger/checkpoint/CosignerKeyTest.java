package dev.trustledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.testutil.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CosignerKeyTest {
  private final Ed25519PrivateKey ledgerKey = Fixtures.key("ledger");
  private final Ed25519PrivateKey witnessKey = Fixtures.key("witness");
  private final NoteKey log = new NoteKey("trustledger.example", ledgerKey.publicKey());
  private final CosignerKey witness = new CosignerKey("witness.example/w1", witnessKey.publicKey());
  private final CheckpointBody body =
      new CheckpointBody("trustledger.example", 20852163, new byte[32]);

  private SignedNote cosigned(long time) throws NoteException {
    SignedNote note = SignedNote.parse(log.sign(body, ledgerKey));
    return note.with(List.of(witness.cosign(note.textBytes(), time, witnessKey)));
  }

  @Test
  void cosignatureCarriesKeyIdTimeAndSignatureOverTheHeaderTimeAndBody() throws Exception {
    SignedNote note = cosigned(1679315147L);
    SignedNote.Signature line = note.signatures().get(1);
    byte[] blob = Base64.getDecoder().decode(line.line().split(" ")[2].trim());
    assertThat(blob).hasSize(4 + 8 + 64).startsWith(witness.keyId());
    assertThat(ByteBuffer.wrap(blob, 4, 8).getLong()).isEqualTo(1679315147L);
    byte[] message =
        ("cosignature/v1\ntime 1679315147\n" + body.text()).getBytes(StandardCharsets.UTF_8);
    assertThat(witnessKey.publicKey().verify(message, java.util.Arrays.copyOfRange(blob, 12, 76)))
        .isTrue();
    assertThat(witness.verify(SignedNote.parse(note.format()))).contains(1679315147L);
    assertThat(log.verify(note)).isEqualTo(body);
  }

  @Test
  void keyIdUsesTypeFour() {
    assertThat(witness.keyId())
        .isNotEqualTo(new NoteKey("witness.example/w1", witnessKey.publicKey()).keyId());
    assertThat(CosignerKey.parse(witness.verifierKey()).keyId()).isEqualTo(witness.keyId());
    assertThatThrownBy(() -> CosignerKey.parse(log.verifierKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature type");
  }

  @Test
  void aChangedTimeOrBodyDoesNotVerify() throws Exception {
    SignedNote note = cosigned(1000);
    SignedNote.Signature line = note.signatures().get(1);
    byte[] blob = line.blob();
    blob[11] ^= 1;
    SignedNote changedTime =
        new SignedNote(note.text(), List.of(new SignedNote.Signature(line.name(), blob)));
    assertThatThrownBy(() -> witness.verify(changedTime))
        .isInstanceOf(NoteException.class)
        .hasMessageContaining("does not verify");
    SignedNote changedBody =
        new SignedNote(note.text().replace("20852163", "20852164"), List.of(line));
    assertThatThrownBy(() -> witness.verify(changedBody)).isInstanceOf(NoteException.class);
  }

  @Test
  void noteWithoutTheWitnessHasNoCosignatureOfIt() throws Exception {
    assertThat(witness.verify(SignedNote.parse(log.sign(body, ledgerKey)))).isEmpty();
  }

  @Test
  void witnessAnswerLinesParseAndAppendOnce() throws Exception {
    SignedNote note = cosigned(5);
    String answer = note.signatures().get(1).line();
    List<SignedNote.Signature> lines = SignedNote.parseLines(answer);
    assertThat(note.with(lines).signatures()).hasSize(2);
  }
}
