package dev.trustledger.witness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.testutil.Fixtures;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The add-checkpoint call of tlog-witness, status by status. */
class WitnessTest {
  static final Ed25519PrivateKey LOG = Fixtures.key("ledger");
  static final Ed25519PrivateKey W = Fixtures.key("witness");
  static final NoteKey LOG_KEY = new NoteKey("test.ledger", LOG.publicKey());
  static final CosignerKey COSIGNER = new CosignerKey("w1.example", W.publicKey());

  @TempDir Path dir;
  Witness witness;
  MemoryTree tree;
  MemoryTree fork;

  @BeforeEach
  void setUp() {
    witness = witness(dir);
    tree = new MemoryTree();
    fork = new MemoryTree();
    for (int i = 0; i < 20; i++) {
      tree.appendData(ByteBuffer.allocate(4).putInt(i).array());
      fork.appendData(ByteBuffer.allocate(4).putInt(i < 8 ? i : 1000 + i).array());
    }
  }

  static Witness witness(Path dir) {
    return new Witness(
        COSIGNER, W, Map.of("test.ledger", LOG_KEY), new WitnessState(dir), () -> 1000);
  }

  String checkpoint(MemoryTree t, long size) {
    return LOG_KEY.sign(new CheckpointBody("test.ledger", size, t.root(size)), LOG);
  }

  String body(long old, List<byte[]> proof, String note) {
    return new Witness.Request(old, proof, note).format();
  }

  Witness.Answer add(long old, MemoryTree t, long size) {
    List<byte[]> proof = old == 0 || old == size ? List.of() : Proofs.consistency(old, size, t);
    return witness.addCheckpoint(body(old, proof, checkpoint(t, size)));
  }

  @Test
  void cosignsAGrowingLogAndRemembersItAcrossRestarts() throws Exception {
    Witness.Answer first = add(0, tree, 5);
    assertThat(first.status()).isEqualTo(200);
    SignedNote cosigned =
        SignedNote.parse(checkpoint(tree, 5)).with(SignedNote.parseLines(first.body()));
    assertThat(COSIGNER.verify(cosigned)).contains(1000L);
    assertThat(add(5, tree, 12).status()).isEqualTo(200);
    assertThat(add(12, tree, 12).status()).as("the same checkpoint again").isEqualTo(200);
    Witness restarted = witness(dir);
    witness = restarted;
    assertThat(add(12, tree, 20).status()).isEqualTo(200);
    Witness.Answer latest = restarted.latest(WitnessState.originHash("test.ledger"));
    assertThat(latest.status()).isEqualTo(200);
    assertThat(LOG_KEY.verify(latest.body()).size()).isEqualTo(20);
  }

  @Test
  void aStaleOldSizeGets409WithTheSizeItHolds() {
    add(0, tree, 5);
    Witness.Answer a = add(0, tree, 9);
    assertThat(a.status()).isEqualTo(409);
    assertThat(a.contentType()).isEqualTo("text/x.tlog.size");
    assertThat(a.body()).isEqualTo("5\n");
  }

  @Test
  void aForkOfTheSameSizeOrLargerIsRefusedWith422() {
    assertThat(add(0, tree, 10).status()).isEqualTo(200);
    Witness.Answer sameSize = witness.addCheckpoint(body(10, List.of(), checkpoint(fork, 10)));
    assertThat(sameSize.status()).isEqualTo(422);
    Witness.Answer larger = add(10, fork, 15);
    assertThat(larger.status()).isEqualTo(422);
    assertThat(larger.body()).contains("not consistent");
    assertThat(add(10, tree, 15).status()).as("the real log goes on").isEqualTo(200);
  }

  @Test
  void aRolledBackLogCannotGetACosignature() {
    add(0, tree, 15);
    Witness.Answer a = add(0, tree, 10);
    assertThat(a.status()).isEqualTo(409);
    assertThat(a.body()).isEqualTo("15\n");
    assertThat(witness.addCheckpoint(body(15, List.of(), checkpoint(tree, 10))).status())
        .as("old above the checkpoint")
        .isEqualTo(400);
  }

  @Test
  void unknownOriginIs404AndABadSignature403() {
    Ed25519PrivateKey other = Fixtures.key("other");
    String unknown =
        new NoteKey("other.ledger", other.publicKey())
            .sign(new CheckpointBody("other.ledger", 1, tree.root(1)), other);
    assertThat(witness.addCheckpoint(body(0, List.of(), unknown)).status()).isEqualTo(404);
    String impostor =
        new NoteKey("test.ledger", other.publicKey())
            .sign(new CheckpointBody("test.ledger", 1, tree.root(1)), other);
    assertThat(witness.addCheckpoint(body(0, List.of(), impostor)).status()).isEqualTo(403);
  }

  @Test
  void malformedRequestsAre400AndAProofFromZero422() {
    assertThat(witness.addCheckpoint("nonsense").status()).isEqualTo(400);
    assertThat(witness.addCheckpoint("old 01\n\n" + checkpoint(tree, 3)).status()).isEqualTo(400);
    assertThat(witness.addCheckpoint("old 0\nnot base64!\n\n" + checkpoint(tree, 3)).status())
        .isEqualTo(400);
    assertThat(witness.addCheckpoint(body(0, List.of(tree.root(1)), checkpoint(tree, 3))).status())
        .isEqualTo(422);
    String tooLong = "old 0\n" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".repeat(64) + "\n";
    assertThat(witness.addCheckpoint(tooLong + checkpoint(tree, 3)).status()).isEqualTo(400);
  }
}
