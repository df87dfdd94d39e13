package dev.trustledger.ledger.view;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.LogTree;
import java.util.List;
import java.util.Optional;

/**
 * Reads the directory and the head from a node's {@link ReadModel}, and the log (chains, tree,
 * checkpoints) and decisions from the stores behind {@code stores}: the global stores every node
 * has, and the sequencer's decisions where it runs.
 */
public final class ViewLedgerReader implements LedgerReader {
  private final ReadModel model;
  private final LedgerReader stores;

  public ViewLedgerReader(ReadModel model, LedgerReader stores) {
    this.model = model;
    this.stores = stores;
  }

  @Override
  public Optional<LedgerHead> head() {
    return model.head();
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    return model.principal(id);
  }

  @Override
  public List<String> children(String id, String after, int limit) {
    return model.children(id, after, limit);
  }

  @Override
  public List<LedgerEntry> entries(String subjectId, long fromSeq, int limit) {
    return stores.entries(subjectId, fromSeq, limit);
  }

  @Override
  public List<Decision> decisions(String subjectId, String eventId) {
    return stores.decisions(subjectId, eventId);
  }

  @Override
  public List<Checkpoint> checkpoints() {
    return stores.checkpoints();
  }

  @Override
  public Optional<Checkpoint> checkpoint(long size) {
    return stores.checkpoint(size);
  }

  @Override
  public LogTree tree() {
    return stores.tree();
  }

  @Override
  public long principalCount() {
    return model.principalCount();
  }

  @Override
  public List<PrincipalState> principals(String after, int limit) {
    return model.principals(after, limit);
  }
}
