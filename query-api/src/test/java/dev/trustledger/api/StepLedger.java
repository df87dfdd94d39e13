package dev.trustledger.api;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.LogTree;
import dev.trustledger.ledger.sequencer.Input;
import dev.trustledger.ledger.sequencer.MemoryLedgerState;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.sequencer.Step;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.trust.TrustParams;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A real ledger for API tests of the log routes: the ledger's own step over memory, every entry a
 * leaf of a tree, checkpoints signed with the test ledger key. No Kafka.
 */
public final class StepLedger implements LedgerReader {
  public static final String NAME = "test.ledger";
  final MemoryLedgerState state = new MemoryLedgerState();
  final Sequencer sequencer = new Sequencer(new EventVerifier(new PublicKeyCache(1000)));
  final List<LedgerEntry> entries = new ArrayList<>();
  final MemoryTree tree = new MemoryTree();
  final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
  private long offset;

  public StepLedger(long t) {
    LedgerParameters params =
        LedgerParameters.newBuilder()
            .setLedgerName(NAME)
            .setAdminPublicKeys(List.of(ByteBuffer.wrap(LedgerDriver.ADMIN.publicKey().raw())))
            .setTrust(TrustParams.DEFAULTS.toAvro())
            .setReplayWindowMs(86_400_000L)
            .setFutureSkewMs(300_000L)
            .setEntriesPartitions(3)
            .setCheckpointEntries(1_000_000)
            .setCheckpointIntervalMs(10_000L)
            .build();
    SignedEvent genesis =
        Events.genesis(LedgerDriver.LEDGER_KEY.publicKey(), params)
            .issuedAt(t)
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LedgerDriver.LEDGER_KEY);
    step(new Input.Event(null, genesis.getSubjectId(), genesis, null, t));
  }

  private Step step(Input input) {
    Step step = sequencer.step(state, input);
    state.apply(step.changes());
    for (Step.Placed p : step.entries()) {
      entries.add(p.entry());
      tree.appendData(EntryHash.leafData(p.entry()));
    }
    return step;
  }

  /** Publishes events that must be accepted. */
  public StepLedger accept(long t, SignedEvent... events) {
    for (SignedEvent e : events) {
      RecordRef source =
          RecordRef.newBuilder()
              .setTopic("ledger.events")
              .setPartition(0)
              .setOffset(offset++)
              .setTimestamp(t)
              .build();
      Step step = step(new Input.Event(source, e.getSubjectId(), e, null, t));
      if (!step.accepted()) {
        throw new AssertionError(e.getEventId() + " refused: " + step.rejection());
      }
    }
    return this;
  }

  /** Signs a checkpoint of the tree as it stands. */
  public Checkpoint sign(long createdAt) {
    return sign(createdAt, LedgerDriver.LEDGER_KEY);
  }

  /** Signs a checkpoint of the tree as it stands with {@code key} (a key the ledger rotated to). */
  public Checkpoint sign(long createdAt, dev.trustledger.crypto.Ed25519PrivateKey key) {
    CheckpointBody body = new CheckpointBody(NAME, tree.size(), tree.root(tree.size()));
    Checkpoint c =
        Checkpoint.newBuilder()
            .setOrigin(NAME)
            .setTree(0)
            .setSize(body.size())
            .setRootHash(ByteBuffer.wrap(body.rootHash()))
            .setCreatedAt(createdAt)
            .setNote(new NoteKey(NAME, key.publicKey()).sign(body, key))
            .build();
    checkpoints.put(c.getSize(), c);
    return c;
  }

  @Override
  public Optional<LedgerHead> head() {
    return state.head();
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    return state.principal(id);
  }

  @Override
  public List<String> children(String id, String after, int limit) {
    return state.children(id).stream()
        .filter(c -> after == null || c.compareTo(after) > 0)
        .limit(limit)
        .toList();
  }

  @Override
  public List<LedgerEntry> entries(String subjectId, long fromSeq, int limit) {
    return entries.stream()
        .filter(e -> e.getSubjectId().equals(subjectId) && e.getSeq() >= fromSeq)
        .limit(limit)
        .toList();
  }

  @Override
  public List<Decision> decisions(String subjectId, String eventId) {
    return List.of();
  }

  @Override
  public List<Checkpoint> checkpoints() {
    return checkpoints.isEmpty() ? List.of() : List.of(checkpoints.lastEntry().getValue());
  }

  @Override
  public Optional<Checkpoint> checkpoint(long size) {
    return Optional.ofNullable(checkpoints.get(size));
  }

  @Override
  public LogTree tree() {
    return new LogTree() {
      @Override
      public long size() {
        return tree.size();
      }

      @Override
      public byte[] node(int level, long index) {
        return tree.node(level, index);
      }

      @Override
      public Optional<byte[]> leafData(long ledgerSeq) {
        return ledgerSeq < entries.size()
            ? Optional.of(EntryHash.leafData(entries.get((int) ledgerSeq)))
            : Optional.empty();
      }
    };
  }

  @Override
  public List<PrincipalState> principals(String after, int limit) {
    return state.principals().values().stream()
        .filter(p -> after == null || p.getId().compareTo(after) > 0)
        .sorted(java.util.Comparator.comparing(PrincipalState::getId))
        .limit(limit)
        .toList();
  }

  @Override
  public long principalCount() {
    return state.principals().size();
  }
}
