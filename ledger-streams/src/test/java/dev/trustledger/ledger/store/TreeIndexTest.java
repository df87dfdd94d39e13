package dev.trustledger.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.Proofs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class TreeIndexTest {
  private static KeyValueStore<String, byte[]> store() {
    KeyValueStore<String, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("tree"), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  private static byte[] leaf(long i) {
    return MerkleHash.leaf(("entry " + i).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void leavesInAnyOrderGiveTheTreeOfTheLeavesInOrder() {
    int n = 300;
    MemoryTree expected = new MemoryTree();
    List<Long> order = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      expected.append(leaf(i));
      order.add(i);
    }
    // Entries arrive from several partitions: near order, with leaves ahead of the ones left of
    // them.
    Random random = new Random(7);
    for (int i = 0; i + 3 < n; i += 4) {
      Collections.shuffle(order.subList(i, i + 4), random);
    }
    KeyValueStore<String, byte[]> store = store();
    TreeIndex.Writer writer = new TreeIndex.Writer(store);
    TreeIndex.Reader reader = new TreeIndex.Reader(store);
    for (long i : order) {
      assertThat(writer.add(i, leaf(i), "k" + i)).isTrue();
      for (long size = 1; size <= reader.size(); size = size * 2 + 1) {
        assertThat(Proofs.root(size, reader)).isEqualTo(expected.root(size));
      }
    }
    assertThat(reader.size()).isEqualTo(n);
    assertThat(Proofs.root(n, reader)).isEqualTo(expected.root(n));
    assertThat(reader.entriesKey(123)).contains("k123");
  }

  @Test
  void aWriterStartedOnAnExistingIndexContinuesIt() {
    KeyValueStore<String, byte[]> store = store();
    MemoryTree expected = new MemoryTree();
    TreeIndex.Writer first = new TreeIndex.Writer(store);
    for (long i = 0; i < 21; i++) {
      first.add(i, leaf(i), "k" + i);
      expected.append(leaf(i));
    }
    TreeIndex.Writer restarted = new TreeIndex.Writer(store);
    for (long i = 21; i < 70; i++) {
      restarted.add(i, leaf(i), "k" + i);
      expected.append(leaf(i));
    }
    assertThat(Proofs.root(70, new TreeIndex.Reader(store))).isEqualTo(expected.root(70));
  }

  @Test
  void aSecondLeafAtOneIndexIsRefusedAndTheFirstKept() {
    KeyValueStore<String, byte[]> store = store();
    TreeIndex.Writer writer = new TreeIndex.Writer(store);
    writer.add(0, leaf(0), "k0");
    assertThat(writer.add(0, leaf(0), "k0")).isTrue();
    assertThat(writer.add(0, leaf(99), "forged")).isFalse();
    assertThat(new TreeIndex.Reader(store).node(0, 0)).isEqualTo(leaf(0));
  }

  @Test
  void keysAreFixedWidthLowercaseHex() {
    assertThat(TreeIndex.nodeKey(3, 0xabcL)).isEqualTo("n/03/0000000000000abc");
    assertThat(TreeIndex.entryKey(255)).isEqualTo("e/00000000000000ff");
    assertThat(StoreNames.entryKey("agt_x", 10)).isEqualTo("agt_x:000000000000000a");
    assertThat(StoreNames.checkpointKey(0, 16)).isEqualTo("at/0/0000000000000010");
  }
}
