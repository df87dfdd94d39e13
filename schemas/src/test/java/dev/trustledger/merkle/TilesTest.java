package dev.trustledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TilesTest {
  @Test
  void indexesAsPathElements() {
    assertThat(Tiles.encodeIndex(0)).isEqualTo("000");
    assertThat(Tiles.encodeIndex(67)).isEqualTo("067");
    assertThat(Tiles.encodeIndex(1234067)).isEqualTo("x001/x234/067");
    assertThat(Tiles.encodeIndex(1000)).isEqualTo("x001/000");
  }

  @Test
  void pathsRoundTrip() {
    for (Tiles.Tile t :
        List.of(
            new Tiles.Tile(0, 0, 256),
            new Tiles.Tile(2, 1234067, 17),
            new Tiles.Tile(-1, 5, 256),
            new Tiles.Tile(-1, 1000, 1))) {
      assertThat(Tiles.parse(t.path())).contains(t);
    }
    assertThat(new Tiles.Tile(1, 1234067, 5).path()).isEqualTo("tile/1/x001/x234/067.p/5");
    assertThat(new Tiles.Tile(-1, 3, 256).path()).isEqualTo("tile/entries/003");
  }

  @Test
  void malformedPathsAreRefused() {
    for (String bad :
        List.of(
            "tile/0/1",
            "tile/00/000",
            "tile/64/000",
            "tile/0/001/002",
            "tile/0/x000/001",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/07",
            "tile/0/000.p",
            "tiles/0/000",
            "tile/entries",
            "tile/0/-01")) {
      assertThat(Tiles.parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void widthsOfTheExampleOfTheSpecification() {
    // A tree of 70,000 leaves: 273 full level-0 tiles and one of width 112, one full level-1 tile
    // and one of width 17, one level-2 tile of width 1.
    long size = 70_000;
    assertThat(Tiles.width(0, 272, size)).isEqualTo(256);
    assertThat(Tiles.width(0, 273, size)).isEqualTo(112);
    assertThat(Tiles.width(0, 274, size)).isZero();
    assertThat(Tiles.width(1, 0, size)).isEqualTo(256);
    assertThat(Tiles.width(1, 1, size)).isEqualTo(17);
    assertThat(Tiles.width(2, 0, size)).isEqualTo(1);
    assertThat(Tiles.width(3, 0, size)).isZero();
    assertThat(Tiles.width(1, 0, 256)).isEqualTo(1);
  }

  @Test
  void tileHashesAreTheNodesOfItsLevel() {
    MemoryTree tree = new MemoryTree();
    for (int i = 0; i < 600; i++) {
      tree.appendData(new byte[] {(byte) i, (byte) (i >> 8)});
    }
    byte[] level1 = Tiles.hashes(new Tiles.Tile(1, 0, 2), tree);
    assertThat(java.util.Arrays.copyOfRange(level1, 0, 32)).isEqualTo(tree.node(8, 0));
    assertThat(java.util.Arrays.copyOfRange(level1, 32, 64)).isEqualTo(tree.node(8, 1));
    byte[] partial = Tiles.hashes(new Tiles.Tile(0, 2, 88), tree);
    assertThat(partial).hasSize(88 * 32);
    assertThat(java.util.Arrays.copyOfRange(partial, 0, 32)).isEqualTo(tree.node(0, 512));
  }

  @Test
  void bundlesRoundTrip() {
    List<byte[]> entries = List.of(new byte[0], new byte[] {1, 2, 3}, new byte[300]);
    byte[] bundle = Tiles.bundle(entries);
    assertThat(bundle).hasSize(2 + 5 + 302);
    assertThat(Tiles.unbundle(bundle))
        .usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(entries);
  }
}
