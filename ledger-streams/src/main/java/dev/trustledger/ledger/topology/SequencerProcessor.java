package dev.trustledger.ledger.topology;

import dev.trustledger.avro.AgentRegistered;
import dev.trustledger.avro.AgentRevoked;
import dev.trustledger.avro.ChainHead;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.EventOutcome;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LogState;
import dev.trustledger.avro.OutcomeStatus;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.SponsorRegistered;
import dev.trustledger.avro.TrustState;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.avro.VerifiedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.chain.LogHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.ledger.directory.WritableStoreDirectory;
import dev.trustledger.ledger.rules.Decision;
import dev.trustledger.ledger.rules.LedgerRules;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage two, one task: decides every verified input in order, appends accepted events (and their
 * cascades) to the subjects' hash chains, folds trust, keeps each entries partition's running log
 * hash and publishes signed checkpoints. Writes exactly one entry or rejection per input; the
 * stores, the outputs and the input offsets commit in one transaction.
 */
final class SequencerProcessor implements Processor<String, VerifiedEvent, String, Output> {
  private static final Logger LOG = LoggerFactory.getLogger(SequencerProcessor.class);
  private static final String NEXT = "next";

  private final LedgerTopics topics;
  private final LedgerFormats formats;
  private final EventVerifier verifier;
  private final LedgerRules rules;
  private final Ed25519PrivateKey ledgerKey;
  private final NoteKey noteKey;
  private final String ledgerName;
  private final int entriesPartitions;
  private final int checkpointEntries;
  private final long checkpointIntervalMs;
  private final LedgerMetrics metrics;

  private ProcessorContext<String, Output> context;
  private KeyValueStore<String, Principal> principals;
  private KeyValueStore<String, String> children;
  private KeyValueStore<String, TrustState> trust;
  private KeyValueStore<String, ChainHead> heads;
  private KeyValueStore<String, LedgerEntry> entries;
  private KeyValueStore<String, Long> sequence;
  private WindowStore<String, EventOutcome> outcomes;
  private WindowStore<String, Long> interactions;
  private KeyValueStore<Integer, LogState> logState;
  private KeyValueStore<Integer, Checkpoint> checkpoints;
  private WritableStoreDirectory directory;

  SequencerProcessor(
      LedgerTopics topics,
      LedgerFormats formats,
      EventVerifier verifier,
      LedgerRules rules,
      Ed25519PrivateKey ledgerKey,
      String ledgerName,
      int entriesPartitions,
      int checkpointEntries,
      long checkpointIntervalMs,
      LedgerMetrics metrics) {
    this.metrics = metrics;
    this.topics = topics;
    this.formats = formats;
    this.verifier = verifier;
    this.rules = rules;
    this.ledgerKey = ledgerKey;
    this.ledgerName = ledgerName;
    this.noteKey = new NoteKey(ledgerName, ledgerKey.publicKey());
    this.entriesPartitions = entriesPartitions;
    this.checkpointEntries = checkpointEntries;
    this.checkpointIntervalMs = checkpointIntervalMs;
  }

  @Override
  public void init(ProcessorContext<String, Output> context) {
    this.context = context;
    principals = context.getStateStore(StoreNames.PRINCIPALS);
    children = context.getStateStore(StoreNames.CHILDREN);
    trust = context.getStateStore(StoreNames.TRUST);
    heads = context.getStateStore(StoreNames.CHAIN_HEADS);
    entries = context.getStateStore(StoreNames.ENTRIES);
    sequence = context.getStateStore(StoreNames.SEQUENCE);
    outcomes = context.getStateStore(StoreNames.OUTCOMES);
    interactions = context.getStateStore(StoreNames.INTERACTIONS);
    logState = context.getStateStore(StoreNames.LOG_STATE);
    checkpoints = context.getStateStore(StoreNames.CHECKPOINTS);
    directory = new WritableStoreDirectory(principals, children, trust, outcomes, interactions);
    context.schedule(
        Duration.ofMillis(checkpointIntervalMs),
        PunctuationType.WALL_CLOCK_TIME,
        now -> checkpointAll());
  }

  @Override
  public void process(Record<String, VerifiedEvent> record) {
    VerifiedEvent input = record.value();
    long t = input.getSource().getTimestamp();
    if (input.getRejection() != null) {
      reject(input, Rejected.of(input.getRejection(), input.getDetail()), t);
      return;
    }
    SignedEvent event = input.getEvent();
    Decision decision;
    try {
      decision = decide(input, event, t);
    } catch (KafkaException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("event {} at {} could not be decided", event.getEventId(), input.getSource(), e);
      decision =
          new Decision.Reject(
              Rejected.of(RejectionReason.INVALID_FIELD, "event could not be processed: " + e));
    }
    if (decision instanceof Decision.Reject r) {
      reject(input, r.rejected(), t);
    } else {
      accept(event, (Decision.Accept) decision, t);
      metrics.accepted();
    }
  }

  private Decision decide(VerifiedEvent input, SignedEvent event, long t) {
    if (!input.getSignatureChecked()) {
      Optional<byte[]> key = rules.signerKey(event.getSignerId(), directory);
      if (key.isEmpty()) {
        return new Decision.Reject(
            Rejected.of(
                RejectionReason.UNKNOWN_SIGNER,
                "no admin or registered principal " + event.getSignerId()));
      }
      Optional<Rejected> bad = verifier.verify(event, key.get());
      if (bad.isPresent()) {
        return new Decision.Reject(bad.get());
      }
    }
    if (!event.getSubjectId().equals(input.getRecordKey())) {
      return new Decision.Reject(
          Rejected.of(
              RejectionReason.INVALID_FIELD,
              "record key '"
                  + input.getRecordKey()
                  + "' is not the subject id "
                  + event.getSubjectId()));
    }
    return rules.decide(event, t, directory);
  }

  private void accept(SignedEvent event, Decision.Accept decision, long t) {
    LedgerEntry entry = append(event.getSubjectId(), event, decision.facts(), t);
    directory.apply(event, decision, entry);
    registeredKey(event)
        .ifPresent(
            key ->
                context.forward(
                    new Record<>(event.getSubjectId(), new Output(topics.keys(), -1, key), t)));
    for (String agentId : decision.cascade()) {
      DerivedEvent derived =
          DerivedEvent.newBuilder()
              .setCauseHash(entry.getEntryHash())
              .setCauseSubjectId(entry.getSubjectId())
              .setCauseSeq(entry.getSeq())
              .setPayload(
                  AgentRevoked.newBuilder()
                      .setReason(decision.cascadeReason())
                      .setCascade(true)
                      .build())
              .build();
      EntryFacts facts =
          EntryFacts.newBuilder()
              .setStatusAfter(PrincipalStatus.REVOKED)
              .setTrustAfter(trust.get(agentId))
              .build();
      append(agentId, derived, facts, t);
    }
  }

  private static Optional<byte[]> registeredKey(SignedEvent event) {
    if (event.getPayload() instanceof SponsorRegistered s) {
      return Optional.of(Buffers.toArray(s.getPublicKey()));
    }
    if (event.getPayload() instanceof AgentRegistered a) {
      return Optional.of(Buffers.toArray(a.getPublicKey()));
    }
    return Optional.empty();
  }

  /** Appends one entry to a subject's chain and to its partition's log hash, and writes it. */
  private LedgerEntry append(String subjectId, Object event, EntryFacts facts, long t) {
    Long next = sequence.get(NEXT);
    long ledgerSeq = next == null ? 0 : next;
    sequence.put(NEXT, ledgerSeq + 1);
    ChainHead head = heads.get(subjectId);
    long seq = head == null ? 0 : head.getSeq() + 1;
    ByteBuffer prev = head == null ? ByteBuffer.wrap(EntryHash.genesis()) : head.getEntryHash();
    LedgerEntry entry =
        EntryHash.seal(
            UnhashedLedgerEntry.newBuilder()
                .setSubjectId(subjectId)
                .setSeq(seq)
                .setPrevHash(prev)
                .setLedgerTime(t)
                .setLedgerSeq(ledgerSeq)
                .setEvent(event)
                .setFacts(facts)
                .build());
    heads.put(
        subjectId, ChainHead.newBuilder().setSeq(seq).setEntryHash(entry.getEntryHash()).build());
    entries.put(StoreNames.entryKey(subjectId, seq), entry);

    int partition = partitionOf(subjectId, entriesPartitions);
    LogState state = logState.get(partition);
    if (state == null) {
      state =
          LogState.newBuilder()
              .setPartition(partition)
              .setSize(0)
              .setLogHash(ByteBuffer.wrap(LogHash.empty()))
              .build();
    }
    byte[] log =
        LogHash.next(Buffers.toArray(state.getLogHash()), Buffers.toArray(entry.getEntryHash()));
    state =
        LogState.newBuilder(state)
            .setSize(state.getSize() + 1)
            .setLogHash(ByteBuffer.wrap(log))
            .build();
    logState.put(partition, state);
    context.forward(
        new Record<>(
            subjectId,
            new Output(
                topics.entries(), partition, formats.entries().encode(topics.entries(), entry)),
            t));
    if (state.getSize() - state.getCheckpointedSize() >= checkpointEntries) {
      checkpoint(state, t);
    }
    return entry;
  }

  private void reject(VerifiedEvent input, Rejected rejected, long t) {
    metrics.rejected(rejected.reason());
    SignedEvent event = input.getEvent();
    RecordRef source = input.getSource();
    Rejection rejection =
        Rejection.newBuilder()
            .setEventId(event == null ? null : event.getEventId())
            .setSubjectId(event == null ? null : event.getSubjectId())
            .setReason(rejected.reason())
            .setDetail(rejected.detail())
            .setSource(source)
            .build();
    String key =
        event != null
            ? event.getSubjectId()
            : source.getTopic() + "/" + source.getPartition() + "/" + source.getOffset();
    context.forward(
        new Record<>(
            key,
            new Output(
                topics.rejections(),
                -1,
                formats.rejections().encode(topics.rejections(), rejection)),
            t));
    if (event != null
        && rejected.reason() != RejectionReason.DUPLICATE_EVENT
        && !directory.eventAccepted(event.getSubjectId(), event.getEventId(), 0, t)) {
      directory.putOutcome(
          event.getSubjectId(),
          event.getEventId(),
          EventOutcome.newBuilder()
              .setStatus(OutcomeStatus.REJECTED)
              .setReason(rejected.reason())
              .setDetail(rejected.detail())
              .setLedgerTime(t)
              .build());
    }
  }

  private void checkpointAll() {
    long now = context.currentSystemTimeMs();
    for (int p = 0; p < entriesPartitions; p++) {
      LogState state = logState.get(p);
      if (state != null && state.getSize() > state.getCheckpointedSize()) {
        checkpoint(state, now);
      }
    }
  }

  private void checkpoint(LogState state, long timestamp) {
    CheckpointBody body =
        new CheckpointBody(
            CheckpointBody.origin(ledgerName, state.getPartition()),
            state.getSize(),
            Buffers.toArray(state.getLogHash()));
    Checkpoint checkpoint =
        Checkpoint.newBuilder()
            .setOrigin(body.origin())
            .setPartition(state.getPartition())
            .setSize(state.getSize())
            .setLogHash(state.getLogHash())
            .setCreatedAt(context.currentSystemTimeMs())
            .setNote(noteKey.sign(body, ledgerKey))
            .build();
    checkpoints.put(state.getPartition(), checkpoint);
    logState.put(
        state.getPartition(),
        LogState.newBuilder(state).setCheckpointedSize(state.getSize()).build());
    context.forward(
        new Record<>(
            Integer.toString(state.getPartition()),
            new Output(
                topics.checkpoints(),
                -1,
                formats.checkpoints().encode(topics.checkpoints(), checkpoint)),
            timestamp));
  }

  /** The partition Kafka's default partitioner gives a key: murmur2 of its UTF-8 bytes. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
