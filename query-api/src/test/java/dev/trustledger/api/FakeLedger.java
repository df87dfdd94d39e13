package dev.trustledger.api;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.LogTree;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.trust.Evidence;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** An in-memory read interface, key directory and event sink for API tests. */
final class FakeLedger implements LedgerReader, KeyDirectory, EventSink {
  final Map<String, PrincipalState> principals = new HashMap<>();
  final Map<String, TreeSet<String>> children = new HashMap<>();
  final Map<String, TreeMap<Long, LedgerEntry>> chains = new HashMap<>();
  final Map<String, List<Decision>> decisions = new HashMap<>();
  final List<Checkpoint> checkpoints = new ArrayList<>();
  final Map<String, byte[]> keys = new HashMap<>();
  final List<SignedEvent> published = new ArrayList<>();
  final MemoryTree tree = new MemoryTree();
  final List<byte[]> leaves = new ArrayList<>();
  LedgerHead head;

  void add(PrincipalState p) {
    principals.put(p.getId(), p);
    keys.put(p.getId(), p.getPublicKey().array());
    if (p.getSponsorId() != null) {
      children.computeIfAbsent(p.getSponsorId(), k -> new TreeSet<>()).add(p.getId());
    }
    if (p.getParentAgentId() != null) {
      children.computeIfAbsent(p.getParentAgentId(), k -> new TreeSet<>()).add(p.getId());
    }
  }

  void setEvidence(String id, Evidence evidence) {
    principals.put(
        id, PrincipalState.newBuilder(principals.get(id)).setTrust(evidence.toAvro()).build());
  }

  void addEntry(LedgerEntry e) {
    chains.computeIfAbsent(e.getSubjectId(), k -> new TreeMap<>()).put(e.getSeq(), e);
    if (e.getLedgerSeq() == tree.size()) {
      byte[] data = EntryHash.leafData(e);
      leaves.add(data);
      tree.appendData(data);
    }
    PrincipalState p = principals.get(e.getSubjectId());
    if (p != null) {
      principals.put(
          p.getId(),
          PrincipalState.newBuilder(p)
              .setChainSeq(e.getSeq())
              .setChainHead(e.getEntryHash())
              .setChainLedgerSeq(e.getLedgerSeq())
              .build());
    }
  }

  void decide(String subjectId, String eventId, Decision d) {
    decisions.computeIfAbsent(subjectId + "/" + eventId, k -> new ArrayList<>()).add(d);
  }

  @Override
  public Optional<LedgerHead> head() {
    return Optional.ofNullable(head);
  }

  @Override
  public Optional<PrincipalState> principal(String id) {
    return Optional.ofNullable(principals.get(id));
  }

  @Override
  public List<String> children(String id, String after, int limit) {
    TreeSet<String> all = children.getOrDefault(id, new TreeSet<>());
    return (after == null ? all : all.tailSet(after, false)).stream().limit(limit).toList();
  }

  @Override
  public List<LedgerEntry> entries(String subjectId, long fromSeq, int limit) {
    TreeMap<Long, LedgerEntry> chain = chains.getOrDefault(subjectId, new TreeMap<>());
    return chain.tailMap(fromSeq, true).values().stream().limit(limit).toList();
  }

  @Override
  public List<Decision> decisions(String subjectId, String eventId) {
    return List.copyOf(decisions.getOrDefault(subjectId + "/" + eventId, List.of()));
  }

  @Override
  public List<Checkpoint> checkpoints() {
    return checkpoints.stream()
        .max(java.util.Comparator.comparingLong(Checkpoint::getSize))
        .map(List::of)
        .orElse(List.of());
  }

  @Override
  public Optional<Checkpoint> checkpoint(long size) {
    return checkpoints.stream().filter(c -> c.getSize() == size).findFirst();
  }

  /** Signs a checkpoint of the tree as it stands with {@code ledgerKey}, named {@code name}. */
  Checkpoint checkpoint(String name, Ed25519PrivateKey ledgerKey, long createdAt) {
    CheckpointBody body = new CheckpointBody(name, tree.size(), tree.root(tree.size()));
    Checkpoint c =
        Checkpoint.newBuilder()
            .setOrigin(name)
            .setTree(0)
            .setSize(body.size())
            .setRootHash(ByteBuffer.wrap(body.rootHash()))
            .setCreatedAt(createdAt)
            .setNote(new NoteKey(name, ledgerKey.publicKey()).sign(body, ledgerKey))
            .build();
    checkpoints.removeIf(old -> old.getSize() == c.getSize());
    checkpoints.add(c);
    return c;
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
        return ledgerSeq >= 0 && ledgerSeq < leaves.size()
            ? Optional.of(leaves.get((int) ledgerSeq))
            : Optional.empty();
      }
    };
  }

  @Override
  public List<PrincipalState> principals(String after, int limit) {
    return principals.values().stream()
        .filter(p -> after == null || p.getId().compareTo(after) > 0)
        .sorted(java.util.Comparator.comparing(PrincipalState::getId))
        .limit(limit)
        .toList();
  }

  @Override
  public long principalCount() {
    return principals.size();
  }

  @Override
  public Optional<byte[]> key(String principalId) {
    return Optional.ofNullable(keys.get(principalId));
  }

  @Override
  public CompletableFuture<?> publish(SignedEvent event) {
    published.add(event);
    return CompletableFuture.completedFuture(null);
  }
}
