package dev.trustledger.ledger.sequencer;

import static dev.trustledger.avro.RejectionReason.INVALID_FIELD;
import static dev.trustledger.avro.RejectionReason.UNKNOWN_SIGNER;

import dev.trustledger.avro.AgentRevoked;
import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.EntryRef;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.EventIds;
import dev.trustledger.event.Events;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.ledger.avro.AdminKey;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.DecisionStatus;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.RetiredKey;
import dev.trustledger.ledger.avro.TreeState;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.topic.EntryPartitions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger as one state machine: {@link #step} decides one input against the ledger's state and
 * returns everything the ledger writes for it. The sequencer processor runs it over its RocksDB
 * stores; the auditor runs the very same step over {@link MemoryLedgerState} and requires the same
 * entries, in the same partitions, at the same {@code ledger_seq}.
 *
 * <p>For an event, in this order (docs/spec.md section 6): the signer's key from the state ({@code
 * UNKNOWN_SIGNER}), its signatures ({@link EventVerifier}, unless the verify stage already checked
 * them with that very key), the record key, then the {@link Rules}. An accepted event is appended
 * to its subject's chain, with derived entries for a cascade; each entry gets the next {@code
 * ledger_seq}, the partition of its subject, and folds into that partition's log hash; checkpoints
 * fall due every {@code checkpoint_entries} entries of a partition, or on a {@link Input.Tick} once
 * {@code checkpoint_interval_ms} has passed.
 */
public final class Sequencer implements LedgerStep {
  /** The ledger's one Merkle tree (one sequencer); a sharded sequencer would have one per shard. */
  public static final int LEDGER_TREE = 0;

  private final EventVerifier verifier;
  private LedgerParameters cachedAvro;
  private Parameters cached;

  public Sequencer(EventVerifier verifier) {
    this.verifier = verifier;
  }

  /** Decides one input. Never changes {@code state}: apply {@link Step#changes()} to it. */
  @Override
  public Step step(LedgerState state, Input input) {
    if (input instanceof Input.Tick tick) {
      return tick(state, tick.now());
    }
    if (input instanceof Input.Undecodable u) {
      Overlay o = new Overlay(state);
      return rejected(
          o,
          nextLedgerSeq(state),
          u.source(),
          u.recordKey(),
          null,
          u.ledgerTime(),
          Rejected.of(u.reason(), u.detail()),
          null);
    }
    return decide(state, (Input.Event) input);
  }

  /**
   * The rejection of an input whose step failed, for an operator who chose to reject such inputs
   * rather than stop: INTERNAL_ERROR with {@code detail}. Nothing else changes.
   */
  public Step failed(LedgerState state, Input input, String detail) {
    Overlay o = new Overlay(state);
    Rejected rejected = Rejected.of(RejectionReason.INTERNAL_ERROR, detail);
    if (input instanceof Input.Event e) {
      return rejected(o, nextLedgerSeq(state), e, rejected, null);
    }
    if (input instanceof Input.Undecodable u) {
      return rejected(
          o, nextLedgerSeq(state), u.source(), u.recordKey(), null, u.ledgerTime(), rejected, null);
    }
    throw new IllegalArgumentException("only inputs are rejected, not " + input);
  }

  /** The parameters in force in {@code head}. */
  public Parameters parameters(LedgerHead head) {
    LedgerParameters avro = head.getParameters();
    if (!avro.equals(cachedAvro)) {
      cached = Parameters.of(avro);
      cachedAvro = avro;
    }
    return cached;
  }

  private Step decide(LedgerState state, Input.Event in) {
    SignedEvent event = in.event();
    Optional<LedgerHead> head = state.head();
    if (head.isEmpty()) {
      if (!(event.getPayload() instanceof LedgerGenesis)) {
        throw new IllegalStateException(
            "the ledger decides nothing before its genesis entry (input " + in.source() + ")");
      }
      return genesis(state, in);
    }
    Overlay o = new Overlay(state);
    long position = head.get().getNextLedgerSeq();
    Parameters params = parameters(head.get());
    String ledgerId = ledgerId(head.get());
    Optional<Rules.Signer> signer = signer(event.getSignerId(), head.get(), params, state);
    if (signer.isEmpty()) {
      return rejected(
          o,
          position,
          in,
          Rejected.of(UNKNOWN_SIGNER, "no admin or registered principal " + event.getSignerId()),
          null);
    }
    Optional<Rejected> bad = checkSignatures(in, signer.get());
    if (bad.isPresent()) {
      return rejected(o, position, in, bad.get(), null);
    }
    if (!event.getSubjectId().equals(in.recordKey())) {
      return rejected(
          o,
          position,
          in,
          Rejected.of(
              INVALID_FIELD,
              "record key '" + in.recordKey() + "' is not the subject id " + event.getSubjectId()),
          null);
    }
    Rules.Outcome outcome =
        new Rules(o, params, ledgerId, position).decide(event, in.ledgerTime(), signer.get());
    if (outcome instanceof Rules.Reject r) {
      return rejected(o, position, in, r.rejected(), r.duplicateOf());
    }
    return accepted(o, head.get(), params, in, (Rules.Accept) outcome);
  }

  /**
   * The key a signer signs with: an admin's from the parameters in force (or the key it rotated
   * to), the ledger's from its head, a sponsor's or agent's from its record.
   */
  private static Optional<Rules.Signer> signer(
      String signerId, LedgerHead head, Parameters params, LedgerState state) {
    Ed25519PublicKey admin = params.admins().get(signerId);
    if (admin != null) {
      for (AdminKey rotated : head.getAdminKeys()) {
        if (rotated.getId().equals(signerId)) {
          return Optional.of(
              new Rules.Signer(
                  signerId,
                  PrincipalKind.ADMIN,
                  Buffers.toArray(rotated.getPublicKey()),
                  null,
                  rotated.getRetiredKeys()));
        }
      }
      return Optional.of(new Rules.Signer(signerId, PrincipalKind.ADMIN, admin.raw(), null));
    }
    Optional<PrincipalKind> kind = PrincipalIds.kindOf(signerId);
    if (kind.isEmpty() || kind.get() == PrincipalKind.ADMIN) {
      return Optional.empty();
    }
    if (kind.get() == PrincipalKind.LEDGER) {
      return signerId.equals(ledgerId(head))
          ? Optional.of(
              new Rules.Signer(
                  signerId,
                  PrincipalKind.LEDGER,
                  Buffers.toArray(head.getPublicKey()),
                  null,
                  head.getRetiredKeys()))
          : Optional.empty();
    }
    return state
        .principal(signerId)
        .map(p -> new Rules.Signer(signerId, p.getKind(), Buffers.toArray(p.getPublicKey()), p));
  }

  /**
   * The verify stage's verdict when it checked with the key the state names; otherwise the
   * signatures are checked here. A verdict made with any other key (a stale or forged key record)
   * counts for nothing. A signature that the signer's key does not verify but a key it retired does
   * is {@code KEY_RETIRED}.
   */
  private Optional<Rejected> checkSignatures(Input.Event in, Rules.Signer signer) {
    byte[] key = signer.key();
    Verdict verdict = in.verdict();
    Optional<Rejected> result;
    if (verdict != null && Arrays.equals(Buffers.toArray(verdict.getSignerKey()), key)) {
      result =
          verdict.getReason() == null
              ? Optional.empty()
              : Optional.of(Rejected.of(verdict.getReason(), verdict.getDetail()));
    } else {
      result = verifier.verify(in.event(), key);
    }
    if (result.isPresent()
        && result.get().reason() == RejectionReason.BAD_SIGNATURE
        && !signer.retired().isEmpty()) {
      for (RetiredKey retired : signer.retired()) {
        if (verifier.signatureValid(in.event(), Buffers.toArray(retired.getPublicKey()))) {
          return Optional.of(
              Rejected.of(
                  RejectionReason.KEY_RETIRED,
                  "signed with a key of "
                      + signer.id()
                      + " retired at ledger_seq "
                      + retired.getRetiredAt()));
        }
      }
    }
    return result;
  }

  /** The first entry of a ledger: its key and parameters, signed by that key. */
  private Step genesis(LedgerState state, Input.Event in) {
    SignedEvent event = in.event();
    LedgerGenesis genesis = (LedgerGenesis) event.getPayload();
    Overlay o = new Overlay(state);
    byte[] key = Buffers.toArray(genesis.getPublicKey());
    Optional<Rejected> bad =
        event.getSignerId().equals(event.getSubjectId())
            ? verifier.verify(event, key)
            : Optional.of(Rejected.of(INVALID_FIELD, "the genesis is signed by the ledger itself"));
    if (bad.isEmpty()) {
      bad = Parameters.problem(genesis.getParameters()).map(p -> Rejected.of(INVALID_FIELD, p));
    }
    if (bad.isPresent()) {
      return rejected(o, 0, in, bad.get(), null);
    }
    LedgerParameters params = genesis.getParameters();
    LedgerHead.Builder head =
        LedgerHead.newBuilder()
            .setPublicKey(genesis.getPublicKey())
            .setNextLedgerSeq(0)
            .setParameters(params)
            .setParametersSince(0)
            .setChainSeq(-1)
            .setChainHead(ByteBuffer.wrap(EntryHash.genesis()))
            .setTrees(List.of(TreeStates.empty(LEDGER_TREE)))
            .setLedgerId(event.getSubjectId());
    Parameters parameters = Parameters.of(params);
    EntryFacts facts =
        EntryFacts.newBuilder()
            .setSignerPublicKey(genesis.getPublicKey())
            .setSignerKind(PrincipalKind.LEDGER)
            .setStatusAfter(PrincipalStatus.ACTIVE)
            .build();
    Appender appender = new Appender(o, head, parameters, in.ledgerTime());
    LedgerEntry entry = appender.append(event.getSubjectId(), event, facts);
    rememberAccepted(o, event, entry, in.ledgerTime());
    List<Step.KeyUpdate> keys = new ArrayList<>();
    // The ledger's own key too: it signs its key rotations, which the verify stages check.
    keys.add(new Step.KeyUpdate(event.getSubjectId(), key, entry.getLedgerSeq()));
    parameters
        .admins()
        .forEach((id, k) -> keys.add(new Step.KeyUpdate(id, k.raw(), entry.getLedgerSeq())));
    o.putHead(head.build());
    return new Step(appender.entries, Optional.empty(), keys, appender.checkpoints, o.changes());
  }

  private Step accepted(
      Overlay o, LedgerHead before, Parameters params, Input.Event in, Rules.Accept accept) {
    SignedEvent event = in.event();
    long t = in.ledgerTime();
    accept.updates().forEach(o::put);
    accept.links().forEach(o::link);
    LedgerHead.Builder head = LedgerHead.newBuilder(before);
    Appender appender = new Appender(o, head, params, t);
    LedgerEntry entry = appender.append(event.getSubjectId(), event, accept.facts());
    for (String agentId : accept.cascade()) {
      DerivedEvent derived =
          DerivedEvent.newBuilder()
              .setCauseHash(entry.getEntryHash())
              .setCauseSubjectId(entry.getSubjectId())
              .setCauseSeq(entry.getSeq())
              .setPayload(
                  AgentRevoked.newBuilder()
                      .setReason(accept.cascadeReason())
                      .setCascade(true)
                      .build())
              .build();
      PrincipalState agent = o.principal(agentId).orElseThrow();
      EntryFacts facts =
          EntryFacts.newBuilder()
              .setStatusAfter(PrincipalStatus.REVOKED)
              .setTrustAfter(agent.getTrust())
              .build();
      appender.append(agentId, derived, facts);
    }
    Decision decision = rememberAccepted(o, event, entry, t);
    if (event.getPayload() instanceof BehaviourReported r) {
      o.remember(
          DecisionKeys.interaction(event.getSignerId(), event.getSubjectId(), r.getInteractionId()),
          t,
          decision);
    }
    List<Step.KeyUpdate> keys = new ArrayList<>();
    Events.registeredKey(event.getPayload())
        .ifPresent(
            k ->
                keys.add(
                    new Step.KeyUpdate(
                        event.getSubjectId(), Buffers.toArray(k), entry.getLedgerSeq())));
    Rules.KeyChange change = accept.keyChange();
    if (change != null) {
      byte[] first = change.kind() == PrincipalKind.LEDGER ? genesisKey(before) : change.firstKey();
      rotate(head, change, entry.getLedgerSeq());
      if (change.kind() == PrincipalKind.LEDGER) {
        // The new key signs a checkpoint at once: from this step on, nodes refuse notes of the
        // retired key.
        appender.checkpointNow();
      }
      keys.add(
          new Step.KeyUpdate(change.principalId(), change.newKey(), first, entry.getLedgerSeq()));
    }
    if (accept.parameters() != null) {
      Parameters next = Parameters.of(accept.parameters());
      head.setParameters(accept.parameters()).setParametersSince(entry.getLedgerSeq());
      keys.addAll(adminKeyChanges(params.admins(), next.admins(), entry.getLedgerSeq()));
      // An admin added again signs with the key the parameters give it, not one it rotated to
      // while it was an admin before (that key may be why it was removed); its chain goes on.
      for (AdminKey a : head.getAdminKeys()) {
        if (next.admins().containsKey(a.getId()) && !params.admins().containsKey(a.getId())) {
          putAdmin(
              head,
              AdminKey.newBuilder(a)
                  .setPublicKey(ByteBuffer.wrap(next.admins().get(a.getId()).raw()))
                  .setRetiredKeys(List.of())
                  .build());
        }
      }
    }
    o.putHead(head.build());
    return new Step(appender.entries, Optional.empty(), keys, appender.checkpoints, o.changes());
  }

  /** The ledger's first key: the last of its retired keys, or its key when it never rotated. */
  private static byte[] genesisKey(LedgerHead head) {
    List<RetiredKey> retired = head.getRetiredKeys();
    return Buffers.toArray(
        retired.isEmpty() ? head.getPublicKey() : retired.get(retired.size() - 1).getPublicKey());
  }

  /** The ledger's or an admin's new key, in the ledger's head. */
  private static void rotate(LedgerHead.Builder head, Rules.KeyChange change, long ledgerSeq) {
    RetiredKey retired =
        RetiredKey.newBuilder()
            .setPublicKey(ByteBuffer.wrap(change.oldKey()))
            .setRetiredAt(ledgerSeq)
            .build();
    if (change.kind() == PrincipalKind.LEDGER) {
      List<RetiredKey> keys = new ArrayList<>();
      keys.add(retired);
      keys.addAll(head.getRetiredKeys());
      head.setLedgerId(ledgerId(head.build()))
          .setPublicKey(ByteBuffer.wrap(change.newKey()))
          .setRetiredKeys(keys);
    } else if (change.kind() == PrincipalKind.ADMIN) {
      AdminKey admin =
          head.getAdminKeys().stream()
              .filter(a -> a.getId().equals(change.principalId()))
              .findFirst()
              .orElseThrow();
      List<RetiredKey> keys = new ArrayList<>();
      keys.add(retired);
      keys.addAll(admin.getRetiredKeys());
      putAdmin(
          head,
          AdminKey.newBuilder(admin)
              .setPublicKey(ByteBuffer.wrap(change.newKey()))
              .setRetiredKeys(keys.subList(0, Math.min(keys.size(), Rules.RETIRED_KEYS_KEPT)))
              .build());
    }
  }

  /** {@code admin} in the head's admin states, replacing the one of its id, in id order. */
  private static void putAdmin(LedgerHead.Builder head, AdminKey admin) {
    List<AdminKey> admins = new ArrayList<>();
    for (AdminKey a : head.getAdminKeys()) {
      if (!a.getId().equals(admin.getId())) {
        admins.add(a);
      }
    }
    admins.add(admin);
    admins.sort(java.util.Comparator.comparing(AdminKey::getId));
    head.setAdminKeys(admins);
  }

  private static List<Step.KeyUpdate> adminKeyChanges(
      Map<String, Ed25519PublicKey> before, Map<String, Ed25519PublicKey> after, long ledgerSeq) {
    List<Step.KeyUpdate> out = new ArrayList<>();
    after.forEach(
        (id, k) -> {
          if (!k.equals(before.get(id))) {
            out.add(new Step.KeyUpdate(id, k.raw(), ledgerSeq));
          }
        });
    before.keySet().stream()
        .filter(id -> !after.containsKey(id))
        .forEach(id -> out.add(new Step.KeyUpdate(id, null, ledgerSeq)));
    return out;
  }

  private static Decision rememberAccepted(
      Overlay o, SignedEvent event, LedgerEntry entry, long t) {
    Decision decision =
        Decision.newBuilder()
            .setEventHash(ByteBuffer.wrap(EventHashes.of(event)))
            .setStatus(DecisionStatus.ACCEPTED)
            .setEntry(ref(entry))
            .setLedgerTime(t)
            .build();
    o.remember(
        DecisionKeys.accepted(event.getSubjectId(), event.getEventId(), event.getSignerId()),
        t,
        decision);
    return decision;
  }

  /** Where {@code entry} stands. */
  public static EntryRef ref(LedgerEntry entry) {
    return EntryRef.newBuilder()
        .setSubjectId(entry.getSubjectId())
        .setSeq(entry.getSeq())
        .setEntryHash(entry.getEntryHash())
        .setLedgerSeq(entry.getLedgerSeq())
        .build();
  }

  private Step rejected(
      Overlay o, long position, Input.Event in, Rejected rejected, EntryRef duplicateOf) {
    return rejected(
        o,
        position,
        in.source(),
        in.recordKey(),
        in.event(),
        in.ledgerTime(),
        rejected,
        duplicateOf);
  }

  private Step rejected(
      Overlay o,
      long position,
      RecordRef source,
      String recordKey,
      SignedEvent event,
      long t,
      Rejected rejected,
      EntryRef duplicateOf) {
    byte[] eventHash = event == null ? null : EventHashes.ofSigningBytes(SigningBytes.of(event));
    Rejection rejection =
        Rejection.newBuilder()
            .setEventId(event == null ? null : event.getEventId())
            .setSubjectId(event == null ? null : event.getSubjectId())
            .setReason(rejected.reason())
            .setDetail(rejected.detail())
            .setSource(source != null ? source : noSource(t))
            .setEventHash(eventHash == null ? null : ByteBuffer.wrap(eventHash))
            .setRecordKey(recordKey)
            .setLedgerSeq(position)
            .setEvent(event)
            .setDuplicateOf(duplicateOf)
            .build();
    if (event != null
        && PrincipalIds.kindOf(event.getSubjectId()).isPresent()
        && EventIds.isValid(event.getEventId())) {
      o.remember(
          DecisionKeys.rejected(event.getSubjectId(), event.getEventId(), eventHash),
          t,
          Decision.newBuilder()
              .setEventHash(ByteBuffer.wrap(eventHash))
              .setStatus(DecisionStatus.REJECTED)
              .setReason(rejected.reason())
              .setDetail(rejected.detail())
              .setEntry(duplicateOf)
              .setLedgerTime(t)
              .setLedgerSeq(position)
              .build());
    }
    return new Step(List.of(), Optional.of(rejection), List.of(), List.of(), o.changes());
  }

  private static RecordRef noSource(long t) {
    return RecordRef.newBuilder()
        .setTopic("")
        .setPartition(-1)
        .setOffset(-1)
        .setTimestamp(t)
        .build();
  }

  /** A checkpoint of the tree when it has entries no checkpoint covers and its interval passed. */
  private Step tick(LedgerState state, long now) {
    Optional<LedgerHead> head = state.head();
    if (head.isEmpty()) {
      return new Step(
          List.of(), Optional.empty(), List.of(), List.of(), new Overlay(state).changes());
    }
    Parameters params = parameters(head.get());
    List<TreeState> trees = new ArrayList<>(head.get().getTrees());
    List<Step.CheckpointDue> due = new ArrayList<>();
    for (int i = 0; i < trees.size(); i++) {
      TreeState tree = trees.get(i);
      if (TreeStates.uncheckpointed(tree)
          && now - tree.getCheckpointedAt() >= params.checkpointIntervalMs()) {
        due.add(checkpoint(params, tree, now));
        trees.set(i, TreeStates.checkpointed(tree, now));
      }
    }
    Overlay o = new Overlay(state);
    if (!due.isEmpty()) {
      o.putHead(LedgerHead.newBuilder(head.get()).setTrees(trees).build());
    }
    return new Step(List.of(), Optional.empty(), List.of(), due, o.changes());
  }

  /** True when the tree has entries that no checkpoint covers yet. */
  public static boolean uncheckpointed(LedgerHead head) {
    return head.getTrees().stream().anyMatch(TreeStates::uncheckpointed);
  }

  private static Step.CheckpointDue checkpoint(Parameters params, TreeState tree, long time) {
    return new Step.CheckpointDue(tree.getTree(), TreeStates.body(params.ledgerName(), tree), time);
  }

  /** The id of the ledger whose head this is: the hash of its genesis key. */
  public static String ledgerId(LedgerHead head) {
    return head.getLedgerId() != null
        ? head.getLedgerId()
        : PrincipalIds.of(PrincipalKind.LEDGER, Buffers.toArray(head.getPublicKey()));
  }

  private static long nextLedgerSeq(LedgerState state) {
    return state.head().map(LedgerHead::getNextLedgerSeq).orElse(0L);
  }

  /** Appends entries for one step: chains, ledger order, partitions, the tree, checkpoints. */
  private static final class Appender {
    private final Overlay o;
    private final LedgerHead.Builder head;
    private final Parameters params;
    private final long t;
    private final String ledgerId;
    private TreeState tree;
    private final List<Step.Placed> entries = new ArrayList<>();
    private final List<Step.CheckpointDue> checkpoints = new ArrayList<>();
    private final Set<String> appended = new HashSet<>();

    Appender(Overlay o, LedgerHead.Builder head, Parameters params, long t) {
      this.o = o;
      this.head = head;
      this.params = params;
      this.t = t;
      this.ledgerId = ledgerId(head.build());
      this.tree = head.getTrees().get(LEDGER_TREE);
    }

    /** The admin's state in the head, or a new one with its key from the parameters. */
    private AdminKey admin(String id) {
      for (AdminKey a : head.getAdminKeys()) {
        if (a.getId().equals(id)) {
          return a;
        }
      }
      return AdminKey.newBuilder()
          .setId(id)
          .setPublicKey(ByteBuffer.wrap(params.admins().get(id).raw()))
          .build();
    }

    /** A checkpoint of the tree as it stands, when entries no checkpoint covers are in it. */
    void checkpointNow() {
      if (TreeStates.uncheckpointed(tree)) {
        checkpoints.add(checkpoint(params, tree, t));
        tree = TreeStates.checkpointed(tree, t);
        List<TreeState> trees = new ArrayList<>(head.getTrees());
        trees.set(LEDGER_TREE, tree);
        head.setTrees(trees);
      }
    }

    LedgerEntry append(String subjectId, Object event, EntryFacts facts) {
      if (!appended.add(subjectId)) {
        throw new IllegalStateException("two entries for " + subjectId + " in one step");
      }
      long ledgerSeq = head.getNextLedgerSeq();
      head.setNextLedgerSeq(ledgerSeq + 1);
      boolean ledger = subjectId.equals(ledgerId);
      AdminKey admin = params.admins().containsKey(subjectId) ? admin(subjectId) : null;
      PrincipalState principal =
          ledger || admin != null ? null : o.principal(subjectId).orElseThrow();
      long prevSeq =
          ledger
              ? head.getChainSeq()
              : admin != null ? admin.getChainSeq() : principal.getChainSeq();
      ByteBuffer prev =
          ledger
              ? head.getChainHead()
              : admin != null
                  ? (admin.getChainHead() != null
                      ? admin.getChainHead()
                      : ByteBuffer.wrap(EntryHash.genesis()))
                  : principal.getChainHead();
      EntryHash.Sealed sealed =
          EntryHash.sealed(
              UnhashedLedgerEntry.newBuilder()
                  .setSubjectId(subjectId)
                  .setSeq(prevSeq + 1)
                  .setPrevHash(prev.duplicate())
                  .setLedgerTime(t)
                  .setLedgerSeq(ledgerSeq)
                  .setEvent(event)
                  .setFacts(facts)
                  .build());
      LedgerEntry entry = sealed.entry();
      if (ledger) {
        head.setChainSeq(entry.getSeq()).setChainHead(entry.getEntryHash());
      } else if (admin != null) {
        putAdmin(
            head,
            AdminKey.newBuilder(admin)
                .setChainSeq(entry.getSeq())
                .setChainHead(entry.getEntryHash())
                .build());
      } else {
        o.put(
            PrincipalState.newBuilder(principal)
                .setChainSeq(entry.getSeq())
                .setChainHead(entry.getEntryHash())
                .setChainLedgerSeq(ledgerSeq)
                .build());
      }
      if (tree.getSize() != ledgerSeq) {
        throw new IllegalStateException(
            "the tree has "
                + tree.getSize()
                + " leaves before the entry at ledger_seq "
                + ledgerSeq);
      }
      tree = TreeStates.append(tree, MerkleHash.leaf(sealed.leafData()));
      if (tree.getSize() - tree.getCheckpointedSize() >= params.checkpointEntries()) {
        checkpoints.add(checkpoint(params, tree, t));
        tree = TreeStates.checkpointed(tree, t);
      }
      List<TreeState> trees = new ArrayList<>(head.getTrees());
      trees.set(LEDGER_TREE, tree);
      head.setTrees(trees);
      entries.add(
          new Step.Placed(EntryPartitions.of(subjectId, params.entriesPartitions()), entry));
      return entry;
    }
  }
}
