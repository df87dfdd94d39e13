package dev.trustledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proofs made by the prover verify for every index and pair of sizes; damaged ones do not. */
class ProofsTest {
  private static MemoryTree tree(int size) {
    MemoryTree tree = new MemoryTree();
    for (int i = 0; i < size; i++) {
      tree.appendData(ByteBuffer.allocate(4).putInt(i).array());
    }
    return tree;
  }

  private static byte[] leaf(int i) {
    return MerkleHash.leaf(ByteBuffer.allocate(4).putInt(i).array());
  }

  @Test
  void everyInclusionProofUpTo70Leaves() throws Exception {
    MemoryTree tree = tree(70);
    for (int size = 1; size <= 70; size++) {
      byte[] root = tree.root(size);
      for (int i = 0; i < size; i++) {
        List<byte[]> proof = Proofs.inclusion(i, size, tree);
        Proofs.verifyInclusion(i, size, leaf(i), proof, root);
      }
    }
  }

  @Test
  void everyConsistencyProofUpTo70Leaves() throws Exception {
    MemoryTree tree = tree(70);
    for (int to = 0; to <= 70; to++) {
      for (int from = 1; from <= to; from++) {
        List<byte[]> proof = Proofs.consistency(from, to, tree);
        Proofs.verifyConsistency(from, to, tree.root(from), tree.root(to), proof);
      }
    }
  }

  @Test
  void theFrontierAndTheStoredNodesAgreeOnEveryRoot() {
    MemoryTree tree = new MemoryTree();
    for (int i = 0; i < 1100; i++) {
      tree.append(leaf(i));
      assertThat(tree.frontier().root()).isEqualTo(tree.root(i + 1));
    }
  }

  @Test
  void wrongIndex() {
    MemoryTree tree = tree(13);
    List<byte[]> proof = Proofs.inclusion(5, 13, tree);
    assertThatThrownBy(() -> Proofs.verifyInclusion(6, 13, leaf(5), proof, tree.root(13)))
        .isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> Proofs.verifyInclusion(13, 13, leaf(5), proof, tree.root(13)))
        .isInstanceOf(ProofException.class)
        .hasMessageContaining("not in a tree of size 13");
  }

  @Test
  void wrongSize() {
    MemoryTree tree = tree(13);
    List<byte[]> proof = Proofs.inclusion(5, 13, tree);
    assertThatThrownBy(() -> Proofs.verifyInclusion(5, 7, leaf(5), proof, tree.root(13)))
        .isInstanceOf(ProofException.class);
    List<byte[]> consistency = Proofs.consistency(5, 13, tree);
    assertThatThrownBy(
            () -> Proofs.verifyConsistency(6, 13, tree.root(5), tree.root(13), consistency))
        .isInstanceOf(ProofException.class);
  }

  @Test
  void truncatedProof() {
    MemoryTree tree = tree(13);
    List<byte[]> proof = Proofs.inclusion(5, 13, tree);
    List<byte[]> shorter = proof.subList(0, proof.size() - 1);
    assertThatThrownBy(() -> Proofs.verifyInclusion(5, 13, leaf(5), shorter, tree.root(13)))
        .isInstanceOf(ProofException.class)
        .hasMessageContaining("shorter");
    List<byte[]> consistency = Proofs.consistency(5, 13, tree);
    List<byte[]> cut = consistency.subList(0, consistency.size() - 1);
    assertThatThrownBy(() -> Proofs.verifyConsistency(5, 13, tree.root(5), tree.root(13), cut))
        .isInstanceOf(ProofException.class);
  }

  @Test
  void flippedHash() {
    MemoryTree tree = tree(13);
    List<byte[]> proof = new ArrayList<>(Proofs.inclusion(5, 13, tree));
    for (int i = 0; i < proof.size(); i++) {
      List<byte[]> damaged = new ArrayList<>(proof);
      byte[] h = damaged.get(i).clone();
      h[31] ^= 1;
      damaged.set(i, h);
      assertThatThrownBy(() -> Proofs.verifyInclusion(5, 13, leaf(5), damaged, tree.root(13)))
          .isInstanceOf(ProofException.class);
    }
    byte[] root = tree.root(13);
    root[0] ^= (byte) 0x80;
    assertThatThrownBy(() -> Proofs.verifyInclusion(5, 13, leaf(5), proof, root))
        .isInstanceOf(ProofException.class)
        .hasMessageContaining("another root");
  }

  @Test
  void forkedTreesAreNotConsistent() {
    MemoryTree a = tree(10);
    MemoryTree b = tree(6);
    for (int i = 100; i < 104; i++) {
      b.append(leaf(i));
    }
    List<byte[]> proof = Proofs.consistency(8, 10, b);
    assertThatThrownBy(() -> Proofs.verifyConsistency(8, 10, a.root(8), b.root(10), proof))
        .isInstanceOf(ProofException.class);
  }

  @Test
  void aProofHashOfTheWrongLengthIsRefused() {
    MemoryTree tree = tree(4);
    List<byte[]> proof = new ArrayList<>(Proofs.inclusion(1, 4, tree));
    proof.set(0, new byte[31]);
    assertThatThrownBy(() -> Proofs.verifyInclusion(1, 4, leaf(1), proof, tree.root(4)))
        .isInstanceOf(ProofException.class)
        .hasMessageContaining("31 bytes");
  }
}
