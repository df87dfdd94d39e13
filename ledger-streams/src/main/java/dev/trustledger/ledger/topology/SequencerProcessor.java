package dev.trustledger.ledger.topology;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.SequencerInput;
import dev.trustledger.ledger.avro.View;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.sequencer.Input;
import dev.trustledger.ledger.sequencer.LedgerStep;
import dev.trustledger.ledger.sequencer.Parameters;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.sequencer.Step;
import dev.trustledger.ledger.store.StoreLedgerState;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.view.ViewRecords;
import dev.trustledger.topic.KeyRecords;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage two, one task: plumbing around {@link Sequencer#step}. For each input it loads the state,
 * steps, stores the changes and forwards what the step wrote; the stores, the outputs and the input
 * offsets commit in one transaction. It also writes the genesis entry of a new ledger, signs the
 * checkpoints the step calls for, and refuses to run with a configuration that contradicts the
 * parameters in the log.
 */
final class SequencerProcessor implements Processor<String, SequencerInput, String, Output> {
  private static final Logger LOG = LoggerFactory.getLogger(SequencerProcessor.class);
  private static final Duration GENESIS_DELAY = Duration.ofMillis(100);

  private final LedgerTopics topics;
  private final LedgerFormats formats;
  private final LedgerConfig config;
  private final LedgerStep step;
  private final Sequencer sequencer;
  private final KeyRing ledgerKeys;
  private final Ed25519PrivateKey ledgerKey;
  private final LedgerMetrics metrics;
  private final long dedupeRetentionMs;
  private final Serializer<View> views;

  private ProcessorContext<String, Output> context;
  private StoreLedgerState state;
  private Cancellable genesisTimer;
  private Cancellable checkpointTimer;

  SequencerProcessor(
      LedgerTopics topics,
      LedgerFormats formats,
      LedgerConfig config,
      LedgerStep step,
      Sequencer sequencer,
      KeyRing ledgerKeys,
      LedgerMetrics metrics,
      long dedupeRetentionMs) {
    this.topics = topics;
    this.formats = formats;
    this.config = config;
    this.step = step;
    this.sequencer = sequencer;
    this.ledgerKeys = ledgerKeys;
    this.ledgerKey = ledgerKeys.identity();
    this.metrics = metrics;
    this.dedupeRetentionMs = dedupeRetentionMs;
    this.views = ViewRecords.serde(ledgerKey).serializer();
  }

  @Override
  public void init(ProcessorContext<String, Output> context) {
    this.context = context;
    KeyValueStore<String, LedgerHead> head = context.getStateStore(StoreNames.HEAD);
    KeyValueStore<String, PrincipalState> principals = context.getStateStore(StoreNames.PRINCIPALS);
    KeyValueStore<String, String> children = context.getStateStore(StoreNames.CHILDREN);
    WindowStore<String, Decision> decisions = context.getStateStore(StoreNames.DECISIONS);
    state = new StoreLedgerState(head, principals, children, decisions);
    Optional<LedgerHead> current = state.head();
    if (current.isEmpty()) {
      genesisTimer =
          context.schedule(
              GENESIS_DELAY, PunctuationType.WALL_CLOCK_TIME, now -> ensureGenesis(now));
      return;
    }
    checkAgainstLog(current.get());
    armCheckpointTimer(current.get());
  }

  /** A node whose configuration contradicts the log stops here, saying how. */
  private void checkAgainstLog(LedgerHead head) {
    List<String> differences = config.differencesFrom(head.getParameters());
    String ledgerId = Sequencer.ledgerId(head);
    String configuredId = Signer.ledger(ledgerKey).id();
    if (!configuredId.equals(ledgerId)) {
      differences = new java.util.ArrayList<>(differences);
      differences.add(
          LedgerConfig.LEDGER_KEY_FILE_CONFIG
              + " holds the key of "
              + configuredId
              + ", the log's ledger is "
              + ledgerId);
    }
    if (!differences.isEmpty()) {
      throw new LedgerConfigurationException(
          "the configuration contradicts the ledger parameters in force since ledger_seq "
              + head.getParametersSince()
              + ": "
              + String.join("; ", differences)
              + ". Change parameters with an admin-signed LedgerParametersChanged event, and"
              + " configure what the log says (or leave those keys unset).");
    }
    long needed = Parameters.of(head.getParameters()).dedupeRetentionMs();
    if (needed > dedupeRetentionMs) {
      throw new LedgerConfigurationException(
          "the log's replay window and skew need "
              + needed
              + " ms of dedupe memory, this node keeps "
              + dedupeRetentionMs
              + " ms: configure "
              + LedgerConfig.REPLAY_WINDOW_MS_CONFIG
              + " and "
              + LedgerConfig.FUTURE_SKEW_MS_CONFIG
              + " as the log says");
    }
  }

  /** Writes the genesis entry of a new ledger from the configuration, before anything else. */
  private void ensureGenesis(long time) {
    if (genesisTimer != null) {
      genesisTimer.cancel();
      genesisTimer = null;
    }
    if (state.head().isPresent()) {
      return;
    }
    SignedEvent genesis =
        Events.genesis(ledgerKey.publicKey(), config.parameters())
            .issuedAt(time)
            .sign(Signer.ledger(ledgerKey), ledgerKey);
    Step result =
        step.step(state, new Input.Event(null, genesis.getSubjectId(), genesis, null, time));
    if (!result.accepted()) {
      throw new LedgerConfigurationException(
          "the ledger cannot write its genesis entry: "
              + result.rejection().map(Rejection::getDetail).orElse("nothing accepted"));
    }
    LOG.info(
        "wrote the genesis entry of ledger {} ({})", config.ledgerName(), genesis.getSubjectId());
    write(result, time);
  }

  @Override
  public void process(Record<String, SequencerInput> record) {
    SequencerInput in = record.value();
    if (in == null) {
      // Not written by a verify stage of this ledger (its MAC does not hold): not an input at all.
      metrics.forgedSequencerInput();
      LOG.error(
          "refused a record of the sequencer topic at {} that no verify stage of this ledger"
              + " wrote (its MAC does not verify): it is not decided",
          context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()));
      return;
    }
    long t = in.getSource().getTimestamp();
    ensureGenesis(t);
    Input input =
        in.getEvent() == null
            ? new Input.Undecodable(
                in.getSource(), in.getRecordKey(), in.getUndecodable(), in.getDetail(), t)
            : new Input.Event(in.getSource(), in.getRecordKey(), in.getEvent(), in.getVerdict(), t);
    Step result;
    try {
      result = step.step(state, input);
    } catch (KafkaException e) {
      throw e;
    } catch (RuntimeException e) {
      if (config.exceptionPolicy() == LedgerConfig.ExceptionPolicy.FAIL) {
        throw new StreamsException(
            "the ledger could not decide the input at "
                + ref(in)
                + "; the sequencer task stops and is retried from its last commit ("
                + LedgerConfig.EXCEPTION_POLICY_CONFIG
                + "=fail)",
            e);
      }
      LOG.error("deciding the input at {} failed; rejecting it as INTERNAL_ERROR", ref(in), e);
      result = sequencer.failed(state, input, "the ledger failed to decide this input: " + e);
    }
    write(result, t);
  }

  private static String ref(SequencerInput in) {
    return in.getSource().getTopic()
        + "/"
        + in.getSource().getPartition()
        + "/"
        + in.getSource().getOffset();
  }

  /** Stores the step's changes and forwards everything it wrote. */
  private void write(Step result, long t) {
    state.apply(result.changes());
    for (Step.Placed placed : result.entries()) {
      LedgerEntry entry = placed.entry();
      forward(
          entry.getSubjectId(),
          new Output(
              topics.entries(),
              placed.partition(),
              formats.entries().encode(topics.entries(), entry)),
          t);
    }
    result
        .rejection()
        .ifPresent(
            r -> {
              metrics.rejected(r.getReason());
              String key =
                  r.getSubjectId() != null
                      ? r.getSubjectId()
                      : r.getSource().getTopic()
                          + "/"
                          + r.getSource().getPartition()
                          + "/"
                          + r.getSource().getOffset();
              forward(
                  key,
                  new Output(
                      topics.rejections(), -1, formats.rejections().encode(topics.rejections(), r)),
                  t);
            });
    if (result.accepted()) {
      metrics.accepted();
    }
    for (KeyValue<String, View> v : ViewRecords.of(result.changes(), !result.entries().isEmpty())) {
      forward(v.key, new Output(topics.views(), -1, views.serialize(topics.views(), v.value)), t);
    }
    for (Step.KeyUpdate k : result.keys()) {
      forward(
          k.principalId(),
          new Output(
              topics.keys(),
              -1,
              formats
                  .keys()
                  .encode(
                      topics.keys(),
                      KeyRecords.sign(
                          k.principalId(),
                          k.publicKey(),
                          k.firstPublicKey(),
                          k.ledgerSeq(),
                          ledgerKey))),
          t);
    }
    LedgerHead head = result.changes().head();
    if (!result.checkpoints().isEmpty()) {
      Ed25519PrivateKey signing = signingKey(head);
      NoteKey noteKey = new NoteKey(head.getParameters().getLedgerName(), signing.publicKey());
      for (Step.CheckpointDue due : result.checkpoints()) {
        Checkpoint checkpoint =
            Checkpoint.newBuilder()
                .setOrigin(due.body().origin())
                .setTree(due.tree())
                .setSize(due.body().size())
                .setRootHash(java.nio.ByteBuffer.wrap(due.body().rootHash()))
                .setCreatedAt(due.time())
                .setNote(noteKey.sign(due.body(), signing))
                .build();
        forward(
            Integer.toString(due.tree()),
            new Output(
                topics.checkpoints(),
                -1,
                formats.checkpoints().encode(topics.checkpoints(), checkpoint)),
            t);
      }
    }
    if (head != null) {
      armCheckpointTimer(head);
    }
  }

  /**
   * The private key of the ledger's key in force: the genesis key until the ledger rotates it. A
   * node that does not hold it cannot sign for the ledger and stops, saying which key it needs.
   */
  private Ed25519PrivateKey signingKey(LedgerHead head) {
    byte[] current = dev.trustledger.encoding.Buffers.toArray(head.getPublicKey());
    return ledgerKeys
        .find(current)
        .orElseThrow(
            () ->
                new LedgerConfigurationException(
                    "the ledger's key is "
                        + dev.trustledger.encoding.Hex.encode(current)
                        + " since its last KeyRotated entry, and this node does not hold it: add"
                        + " its private key file to "
                        + LedgerConfig.LEDGER_NEXT_KEY_FILES_CONFIG));
  }

  private void forward(String key, Output output, long t) {
    context.forward(new Record<>(key, output, t));
  }

  /**
   * Keeps a wall-clock timer only while the tree has entries no checkpoint covers, so that an idle
   * ledger writes nothing.
   */
  private void armCheckpointTimer(LedgerHead head) {
    boolean pending = Sequencer.uncheckpointed(head);
    if (pending && checkpointTimer == null) {
      checkpointTimer =
          context.schedule(
              Duration.ofMillis(head.getParameters().getCheckpointIntervalMs()),
              PunctuationType.WALL_CLOCK_TIME,
              this::tick);
    } else if (!pending && checkpointTimer != null) {
      checkpointTimer.cancel();
      checkpointTimer = null;
    }
  }

  private void tick(long now) {
    write(step.step(state, new Input.Tick(now)), now);
  }
}
