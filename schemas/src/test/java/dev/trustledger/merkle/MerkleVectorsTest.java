package dev.trustledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.encoding.Hex;
import dev.trustledger.testutil.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 6962 vectors of transparency-dev/merkle (vectors/merkle/README.md): tree and node hashes,
 * and every inclusion and consistency probe, valid or corrupted, through the project's verifier;
 * the happy paths are also what the project's prover makes.
 */
class MerkleVectorsTest {
  private static final JsonNode TREE = Resources.json("vectors/merkle/tree.json");

  private static MemoryTree referenceTree() {
    MemoryTree tree = new MemoryTree();
    TREE.get("leaves_hex").forEach(l -> tree.appendData(Hex.decode(l.asText())));
    return tree;
  }

  @Test
  void rootOfEveryPrefixOfTheReferenceLeaves() {
    MemoryTree tree = new MemoryTree();
    JsonNode roots = TREE.get("roots_hex");
    assertThat(Hex.encode(tree.frontier().root())).isEqualTo(roots.get(0).asText());
    int size = 0;
    for (JsonNode leaf : TREE.get("leaves_hex")) {
      tree.appendData(Hex.decode(leaf.asText()));
      size++;
      assertThat(Hex.encode(tree.frontier().root()))
          .as("root of size %d from the frontier", size)
          .isEqualTo(roots.get(size).asText());
      for (int s = 0; s <= size; s++) {
        assertThat(Hex.encode(tree.root(s)))
            .as("root of size %d from the stored nodes", s)
            .isEqualTo(roots.get(s).asText());
      }
    }
  }

  @Test
  void everyPerfectSubtreeHash() {
    MemoryTree tree = referenceTree();
    JsonNode levels = TREE.get("node_hashes_hex");
    for (int level = 0; level < levels.size(); level++) {
      for (int i = 0; i < levels.get(level).size(); i++) {
        assertThat(Hex.encode(tree.node(level, i)))
            .as("node (%d, %d)", level, i)
            .isEqualTo(levels.get(level).get(i).asText());
      }
    }
  }

  static Stream<Path> inclusionProbes() {
    return probes("vectors/merkle/inclusion");
  }

  static Stream<Path> consistencyProbes() {
    return probes("vectors/merkle/consistency");
  }

  @Test
  void allProbesAreRead() {
    assertThat(inclusionProbes()).hasSize(98);
    assertThat(consistencyProbes()).hasSize(98);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusionProbes")
  void inclusionProbe(Path file) throws Exception {
    JsonNode p = Resources.JSON.readTree(file.toFile());
    long index = p.get("leafIdx").asLong();
    long size = p.get("treeSize").asLong();
    byte[] leaf = b64(p.get("leafHash"));
    byte[] root = b64(p.get("root"));
    List<byte[]> proof = hashes(p.get("proof"));
    if (p.get("wantErr").asBoolean()) {
      assertThatThrownBy(() -> Proofs.verifyInclusion(index, size, leaf, proof, root))
          .as(p.get("desc").asText())
          .isInstanceOf(ProofException.class);
    } else {
      Proofs.verifyInclusion(index, size, leaf, proof, root);
      if (size <= 8) {
        assertThat(Proofs.inclusion(index, size, referenceTree()))
            .as("the prover makes the vector's proof")
            .usingElementComparator(java.util.Arrays::compare)
            .containsExactlyElementsOf(proof);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistencyProbes")
  void consistencyProbe(Path file) throws Exception {
    JsonNode p = Resources.JSON.readTree(file.toFile());
    long from = p.get("size1").asLong();
    long to = p.get("size2").asLong();
    byte[] root1 = b64(p.get("root1"));
    byte[] root2 = b64(p.get("root2"));
    List<byte[]> proof = hashes(p.get("proof"));
    if (p.get("wantErr").asBoolean()) {
      assertThatThrownBy(() -> Proofs.verifyConsistency(from, to, root1, root2, proof))
          .as(p.get("desc").asText())
          .isInstanceOf(ProofException.class);
    } else {
      Proofs.verifyConsistency(from, to, root1, root2, proof);
      if (to <= 8) {
        assertThat(Proofs.consistency(from, to, referenceTree()))
            .as("the prover makes the vector's proof")
            .usingElementComparator(java.util.Arrays::compare)
            .containsExactlyElementsOf(proof);
      }
    }
  }

  private static Stream<Path> probes(String folder) {
    try {
      Path root = Path.of(MerkleVectorsTest.class.getResource("/" + folder).toURI());
      try (Stream<Path> walk = Files.walk(root)) {
        List<Path> out =
            new ArrayList<>(walk.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        return out.stream();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] b64(JsonNode n) {
    return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asText());
  }

  private static List<byte[]> hashes(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    if (array != null && !array.isNull()) {
      array.forEach(h -> out.add(b64(h)));
    }
    return out;
  }
}
