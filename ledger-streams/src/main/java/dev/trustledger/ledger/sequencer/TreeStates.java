package dev.trustledger.ledger.sequencer;

import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.avro.TreeState;
import dev.trustledger.merkle.Frontier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The ledger's Merkle tree as its head keeps it: a {@link Frontier} and its checkpoint state. */
public final class TreeStates {
  private TreeStates() {}

  /** The tree with no entries. */
  public static TreeState empty(int tree) {
    return TreeState.newBuilder().setTree(tree).setSize(0).setFrontier(List.of()).build();
  }

  public static Frontier frontier(TreeState state) {
    List<byte[]> hashes = new ArrayList<>(state.getFrontier().size());
    state.getFrontier().forEach(b -> hashes.add(Buffers.toArray(b)));
    return Frontier.of(state.getSize(), hashes);
  }

  /** {@code state} after appending the leaf whose hash is {@code leafHash}. */
  public static TreeState append(TreeState state, byte[] leafHash) {
    Frontier next = frontier(state).append(leafHash);
    List<ByteBuffer> hashes = new ArrayList<>();
    next.hashes().forEach(h -> hashes.add(ByteBuffer.wrap(h)));
    return TreeState.newBuilder(state).setSize(next.size()).setFrontier(hashes).build();
  }

  /** The root hash of the tree. */
  public static byte[] root(TreeState state) {
    return frontier(state).root();
  }

  /** The checkpoint body of the tree as it stands, for ledger {@code ledgerName}. */
  public static CheckpointBody body(String ledgerName, TreeState state) {
    return new CheckpointBody(
        CheckpointBody.origin(ledgerName, state.getTree()), state.getSize(), root(state));
  }

  /** True when entries were appended since the latest checkpoint. */
  public static boolean uncheckpointed(TreeState state) {
    return state.getSize() > state.getCheckpointedSize();
  }

  /** {@code state} checkpointed at {@code time}. */
  public static TreeState checkpointed(TreeState state, long time) {
    return TreeState.newBuilder(state)
        .setCheckpointedSize(state.getSize())
        .setCheckpointedAt(time)
        .build();
  }
}
