package dev.trustledger.ledger.topology;

import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.read.LogTree;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.serde.AvroBinary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final long T = 1_767_225_600_000L;
  private final NoteKey noteKey = new NoteKey("test.ledger", LedgerDriver.LEDGER_KEY.publicKey());

  @Test
  void everyNEntriesACheckpointSignsTheRootOfTheTree() throws Exception {
    try (LedgerDriver ledger =
        new LedgerDriver(Map.of(LedgerConfig.CHECKPOINT_ENTRIES_CONFIG, 3))) {
      ledger.publish(registerSponsor("acme", T), T);
      for (int i = 0; i < 5; i++) {
        ledger.publish(registerAgent("a" + i, "acme", T), T + i);
      }
      assertThat(ledger.checkpoints()).extracting(Checkpoint::getSize).containsExactly(3L, 6L);
      for (Checkpoint c : ledger.checkpoints()) {
        CheckpointBody body = noteKey.verify(c.getNote());
        assertThat(body.origin()).isEqualTo("test.ledger");
        assertThat(body.size()).isEqualTo(c.getSize());
        assertThat(body.rootHash()).isEqualTo(rootOf(ledger.entries(), (int) c.getSize()));
      }
      // Every node indexes the same tree from ledger.entries, and keeps each signed checkpoint.
      LogTree tree = ledger.reader().tree();
      assertThat(tree.size()).isEqualTo(ledger.entries().size());
      assertThat(Proofs.root(6, tree)).isEqualTo(rootOf(ledger.entries(), 6));
      assertThat(ledger.reader().checkpoint(3)).isPresent();
      assertThat(ledger.reader().checkpoints())
          .singleElement()
          .extracting(Checkpoint::getSize)
          .isEqualTo(6L);
      for (long i = 0; i < tree.size(); i++) {
        assertThat(tree.leafData(i)).hasValueSatisfying(d -> assertThat(d).isNotEmpty());
      }
    }
  }

  @Test
  void wallClockIntervalCheckpointsPartitionsWithNewEntries() throws Exception {
    try (LedgerDriver ledger = new LedgerDriver()) {
      ledger.publish(registerSponsor("acme", T), T);
      assertThat(ledger.checkpoints()).isEmpty();
      ledger.advanceWallClock(11_000);
      assertThat(ledger.checkpoints()).hasSize(1);
      // The genesis entry and the sponsor's registration.
      assertThat(noteKey.verify(ledger.checkpoints().get(0).getNote()).size()).isEqualTo(2);
      ledger.advanceWallClock(11_000);
      assertThat(ledger.checkpoints()).as("no new entries, no new checkpoint").hasSize(1);
    }
  }

  private static byte[] rootOf(List<LedgerEntry> entries, int size) {
    MemoryTree tree = new MemoryTree();
    entries.stream()
        .sorted(java.util.Comparator.comparingLong(LedgerEntry::getLedgerSeq))
        .limit(size)
        .forEach(e -> tree.appendData(AvroBinary.encode(e)));
    return tree.root(size);
  }

  @Test
  void forgedCheckpointsAndEntriesOnTheTopicsAreNotServed() throws Exception {
    try (LedgerDriver ledger =
        new LedgerDriver(Map.of(LedgerConfig.CHECKPOINT_ENTRIES_CONFIG, 3))) {
      ledger.publish(registerSponsor("acme", T), T);
      ledger.publish(registerAgent("a0", "acme", T), T);
      Checkpoint genuine = ledger.reader().checkpoints().get(0);
      byte[] root =
          ledger.reader().tree().size() == 3 ? Proofs.root(3, ledger.reader().tree()) : null;
      assertThat(root).isEqualTo(genuine.getRootHash().array());

      // A checkpoint over another root at a larger size, signed by a key that is not the ledger's.
      var impostor = dev.trustledger.ledger.testkit.Cast.key("impostor");
      CheckpointBody body = new CheckpointBody("test.ledger", 9, new byte[32]);
      Checkpoint forged =
          Checkpoint.newBuilder(genuine)
              .setSize(9)
              .setRootHash(java.nio.ByteBuffer.wrap(new byte[32]))
              .setNote(new NoteKey("test.ledger", impostor.publicKey()).sign(body, impostor))
              .build();
      ledger.writeRaw(
          "ledger.checkpoints",
          "0",
          ledger.formats().checkpoints().encode("ledger.checkpoints", forged),
          T);
      assertThat(ledger.reader().checkpoints()).containsExactly(genuine);
      assertThat(ledger.reader().checkpoint(9)).isEmpty();

      // An entry claiming a ledger_seq the tree already holds.
      LedgerEntry taken = ledger.entries().get(1);
      LedgerEntry other =
          dev.trustledger.chain.EntryHash.seal(
              dev.trustledger.chain.EntryHash.unhashed(
                  LedgerEntry.newBuilder(taken).setLedgerTime(T + 99).build()));
      ledger.writeRaw(
          "ledger.entries",
          other.getSubjectId(),
          ledger.formats().entries().encode("ledger.entries", other),
          T);
      assertThat(ledger.reader().tree().size()).isEqualTo(3);
      assertThat(Proofs.root(3, ledger.reader().tree())).isEqualTo(root);
      assertThat(ledger.reader().entries(taken.getSubjectId(), taken.getSeq(), 1))
          .containsExactly(taken);
    }
  }

  @Test
  void afterTheLedgerRotatesItsKeyTheRetiredKeySignsNoCheckpointANodeKeeps() throws Exception {
    var next = dev.trustledger.ledger.testkit.Cast.key("ledger-next");
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("checkpoint-rotation");
    java.nio.file.Path file = dir.resolve("next.key");
    dev.trustledger.crypto.KeyFiles.writePrivateKey(file, next);
    try (LedgerDriver ledger =
        new LedgerDriver(Map.of(LedgerConfig.LEDGER_NEXT_KEY_FILES_CONFIG, file.toString()))) {
      ledger.publish(registerSponsor("acme", T), T);
      String ledgerId = dev.trustledger.event.Signer.ledger(LedgerDriver.LEDGER_KEY).id();
      ledger.publish(
          dev.trustledger.event.Events.rotateKey(ledgerId, next.publicKey(), "yearly")
              .eventId("rot")
              .issuedAt(T)
              .sign(dev.trustledger.event.Signer.ledger(LedgerDriver.LEDGER_KEY), next),
          T + 1);
      // The rotation's own step signs a checkpoint with the new key.
      Checkpoint rotated = ledger.reader().checkpoints().get(0);
      assertThat(rotated.getSize()).isEqualTo(ledger.entries().size());
      new NoteKey("test.ledger", next.publicKey()).verify(rotated.getNote());

      // Someone holding the retired key writes a checkpoint of a larger tree: refused.
      CheckpointBody body = new CheckpointBody("test.ledger", 99, new byte[32]);
      Checkpoint forged =
          Checkpoint.newBuilder(rotated)
              .setSize(99)
              .setRootHash(java.nio.ByteBuffer.wrap(new byte[32]))
              .setNote(noteKey.sign(body, LedgerDriver.LEDGER_KEY))
              .build();
      ledger.writeRaw(
          "ledger.checkpoints",
          "0",
          ledger.formats().checkpoints().encode("ledger.checkpoints", forged),
          T + 2);
      assertThat(ledger.reader().checkpoints()).containsExactly(rotated);
      assertThat(ledger.reader().checkpoint(99)).isEmpty();
    }
  }
}
