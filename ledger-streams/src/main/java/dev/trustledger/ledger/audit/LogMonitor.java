package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_CONTRADICTION;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_ROOT;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_SIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.ENTRY_HASH;
import static dev.trustledger.ledger.audit.Problem.Kind.MALFORMED;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.Rejection;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.PublicKeyCache;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.ledger.sequencer.MemoryLedgerState;
import dev.trustledger.ledger.sequencer.Parameters;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.merkle.Frontier;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A monitor: follows the log as it grows and verifies it checkpoint by checkpoint, with the same
 * replay as the auditor. For each new checkpoint it waits until every entry below its size and
 * every record written before it has arrived, replays those entries (and the rejections among them)
 * through the ledger's step, checks the tree's root against the checkpoint, and saves its state;
 * after a restart it resumes from the last verified checkpoint instead of from zero. It stops at
 * the first problem.
 */
public final class LogMonitor {
  /** How often the state is saved while the monitor catches up: 5 s. */
  public static final long DEFAULT_SAVE_INTERVAL_MS = 5_000;

  /** What the monitor reports as it goes. */
  public interface Listener {
    /** A checkpoint and everything below it verified. */
    void verified(long treeSize, long entries, long createdAt);

    /** The first problem; the monitor stops after it. */
    void problem(Problem problem);
  }

  private final Ed25519PublicKey ledgerKey;
  private final Path stateFile;
  private final Map<String, Object> clientSettings;
  private final LedgerTopics topics;
  private final LedgerFormats formats;
  private final EventVerifier verifier = new EventVerifier(new PublicKeyCache(1_000_000));
  private final Sequencer sequencer = new Sequencer(verifier);
  private final long saveIntervalMs;
  private SignatureChecks.Pool pool;
  private long lastSave;
  private boolean unsaved;

  private MemoryLedgerState state = new MemoryLedgerState();
  private Frontier frontier = Frontier.empty();
  private long entriesVerified;
  private final Map<TopicPartition, Long> saved = new HashMap<>();

  private final TreeMap<Long, Pending<LedgerEntry>> entries = new TreeMap<>();
  private final List<Pending<Rejection>> rejections = new ArrayList<>();
  private final TreeMap<Long, PendingCheckpoint> checkpoints = new TreeMap<>();

  private record Pending<T>(TopicPartition where, long offset, T value) {}

  private record PendingCheckpoint(
      TopicPartition where,
      long offset,
      CheckpointBody body,
      String note,
      long createdAt,
      Map<TopicPartition, Long> barrier) {}

  public LogMonitor(
      Ed25519PublicKey ledgerKey,
      Path stateDir,
      Map<String, Object> clientSettings,
      LedgerTopics topics,
      LedgerFormats formats)
      throws IOException {
    this(ledgerKey, stateDir, clientSettings, topics, formats, DEFAULT_SAVE_INTERVAL_MS);
  }

  /**
   * A monitor that saves its state at most every {@code saveIntervalMs} while it verifies, and when
   * it stops: a restart resumes from the last checkpoint it saved.
   */
  public LogMonitor(
      Ed25519PublicKey ledgerKey,
      Path stateDir,
      Map<String, Object> clientSettings,
      LedgerTopics topics,
      LedgerFormats formats,
      long saveIntervalMs)
      throws IOException {
    this.saveIntervalMs = saveIntervalMs;
    this.ledgerKey = ledgerKey;
    Files.createDirectories(stateDir);
    this.stateFile = stateDir.resolve("monitor.state");
    this.clientSettings = Map.copyOf(clientSettings);
    this.topics = topics;
    this.formats = formats;
    load();
  }

  /** The ledger's key as the replayed state has it (the trusted key before the genesis). */
  private Ed25519PublicKey keyInForce() {
    return state
        .head()
        .map(h -> Ed25519PublicKey.of(Buffers.toArray(h.getPublicKey())))
        .orElse(ledgerKey);
  }

  /** The size of the tree verified so far (from the saved state after a restart). */
  public long verifiedSize() {
    return frontier.size();
  }

  /** Entries verified so far, over every run (from the saved state after a restart). */
  public long verifiedEntries() {
    return entriesVerified;
  }

  /**
   * Follows the log until {@code stop} says so or a problem is found.
   *
   * @return the first problem, if one stopped the monitor
   */
  public Optional<Problem> follow(Listener listener, BooleanSupplier stop) throws IOException {
    Properties props = new Properties();
    props.putAll(clientSettings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    try (SignatureChecks.Pool checks = SignatureChecks.pool();
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      pool = checks;
      List<TopicPartition> all = new ArrayList<>();
      for (String topic : List.of(topics.entries(), topics.rejections(), topics.checkpoints())) {
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          all.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(all);
      for (TopicPartition tp : all) {
        Long offset = saved.get(tp);
        if (offset == null) {
          consumer.seekToBeginning(List.of(tp));
        } else {
          consumer.seek(tp, offset);
        }
      }
      List<TopicPartition> data =
          all.stream().filter(tp -> !tp.topic().equals(topics.checkpoints())).toList();
      while (!stop.getAsBoolean()) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          Optional<Problem> p = take(r, consumer, data);
          if (p.isPresent()) {
            listener.problem(p.get());
            return p;
          }
        }
        Optional<Problem> p = verifyReady(consumer, listener);
        if (p.isPresent()) {
          listener.problem(p.get());
          return p;
        }
        if (unsaved && polled.isEmpty()) {
          // Caught up with the log: keep what is verified.
          save(consumer);
        }
      }
      if (unsaved) {
        save(consumer);
      }
    }
    return Optional.empty();
  }

  private Optional<Problem> take(
      ConsumerRecord<byte[], byte[]> r,
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> data) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    try {
      if (r.topic().equals(topics.entries())) {
        LedgerEntry e = formats.entries().decode(r.topic(), r.value());
        if (e.getLedgerSeq() >= frontier.size()) {
          entries.put(e.getLedgerSeq(), new Pending<>(tp, r.offset(), e));
        }
      } else if (r.topic().equals(topics.rejections())) {
        Rejection rej = formats.rejections().decode(r.topic(), r.value());
        if (rej.getLedgerSeq() >= frontier.size()) {
          rejections.add(new Pending<>(tp, r.offset(), rej));
        }
      } else {
        Checkpoint c = formats.checkpoints().decode(r.topic(), r.value());
        CheckpointBody body;
        try {
          // Signed with the ledger's key in force at its size (the key may rotate): checked once
          // the entries below it are replayed; a note at the verified size is checked now (the
          // replayed state is then exactly at its size). Notes below it were verified before, or
          // come from before a resume: the batch audit judges those.
          body = CheckpointBody.parse(SignedNote.parse(c.getNote()).text());
          if (body.size() < frontier.size()) {
            return Optional.empty();
          }
          if (body.size() == frontier.size()) {
            body = new NoteKey(c.getOrigin(), keyInForce()).verify(c.getNote());
          }
        } catch (NoteException e) {
          return Optional.of(
              new Problem(
                  CHECKPOINT_SIGNATURE,
                  r.partition(),
                  r.offset(),
                  "",
                  -1,
                  "a note signed by the ledger key",
                  e.getMessage()));
        }
        if (body.size() > frontier.size()) {
          checkpoints.put(
              body.size(),
              new PendingCheckpoint(
                  tp,
                  r.offset(),
                  body,
                  c.getNote(),
                  c.getCreatedAt(),
                  consumer.endOffsets(data, Duration.ofSeconds(30))));
        } else if (body.size() == frontier.size()
            && !Arrays.equals(body.rootHash(), frontier.root())) {
          return Optional.of(
              new Problem(
                  CHECKPOINT_CONTRADICTION,
                  r.partition(),
                  r.offset(),
                  "",
                  -1,
                  "root " + Hex.encode(frontier.root()) + " at size " + body.size(),
                  Hex.encode(body.rootHash())));
        }
      }
    } catch (SerdeException e) {
      return Optional.of(
          new Problem(
              MALFORMED,
              r.partition(),
              r.offset(),
              "",
              -1,
              "a record of " + r.topic(),
              e.getMessage()));
    }
    return Optional.empty();
  }

  /** Verifies every pending checkpoint whose entries and earlier records have all arrived. */
  private Optional<Problem> verifyReady(KafkaConsumer<byte[], byte[]> consumer, Listener listener)
      throws IOException {
    while (!checkpoints.isEmpty()) {
      PendingCheckpoint c = checkpoints.firstEntry().getValue();
      long size = c.body().size();
      for (Map.Entry<TopicPartition, Long> b : c.barrier().entrySet()) {
        if (consumer.position(b.getKey()) < b.getValue()) {
          return Optional.empty();
        }
      }
      List<At> window = new ArrayList<>();
      for (long seq = frontier.size(); seq < size; seq++) {
        Pending<LedgerEntry> p = entries.get(seq);
        if (p == null) {
          // Everything written before the checkpoint has arrived: the entry is not in the log.
          return Optional.of(
              new Problem(
                  Problem.Kind.LEDGER_SEQ,
                  -1,
                  -1,
                  "",
                  -1,
                  "an entry at ledger_seq " + seq + " below the checkpoint of size " + size,
                  "none"));
        }
        LedgerEntry e = p.value();
        byte[] computed = EntryHash.compute(e);
        At at = new At(p.where().partition(), p.offset(), e, computed);
        if (!Arrays.equals(computed, Buffers.toArray(e.getEntryHash()))) {
          return Optional.of(at.problem(ENTRY_HASH, computed, Buffers.toArray(e.getEntryHash())));
        }
        window.add(at);
      }
      List<Problem> problems = new ArrayList<>();
      if (frontier.size() == 0) {
        Optional<LedgerParameters> genesis = LogAuditor.genesis(window, problems, ledgerKey);
        if (genesis.isEmpty()) {
          return Optional.of(problems.get(0));
        }
      }
      List<Located<Rejection>> rejected = new ArrayList<>();
      for (Pending<Rejection> r : rejections) {
        if (r.value().getLedgerSeq() < size) {
          rejected.add(Located.of(r.where().partition(), r.offset(), r.value()));
        }
      }
      rejected.sort(
          java.util.Comparator.<Located<Rejection>>comparingLong(r -> r.value().getLedgerSeq())
              .thenComparingLong(r -> r.value().getSource().getTimestamp())
              .thenComparingInt(r -> r.value().getSource().getPartition())
              .thenComparingLong(r -> r.value().getSource().getOffset()));
      SignatureChecks checks = new SignatureChecks(verifier, window, pool);
      new Replay(state, sequencer, problems, new HashSet<>()).run(window, rejected, checks::get);
      problems.addAll(0, checks.problems());
      if (!problems.isEmpty()) {
        return Optional.of(problems.get(0));
      }
      try {
        new NoteKey(c.body().origin(), keyInForce()).verify(c.note());
      } catch (NoteException e) {
        return Optional.of(
            new Problem(
                CHECKPOINT_SIGNATURE,
                c.where().partition(),
                c.offset(),
                "",
                -1,
                "a note signed by the ledger's key in force at size " + size,
                e.getMessage()));
      }
      Frontier next = frontier;
      for (At at : window) {
        next = next.append(MerkleHash.leaf(EntryHash.leafData(at.entry())));
      }
      if (!Arrays.equals(next.root(), c.body().rootHash())) {
        return Optional.of(
            new Problem(
                CHECKPOINT_ROOT,
                c.where().partition(),
                c.offset(),
                "",
                -1,
                "the log's root at size " + size + " " + Hex.encode(next.root()),
                Hex.encode(c.body().rootHash())));
      }
      frontier = next;
      entriesVerified += window.size();
      for (long seq = frontier.size() - window.size(); seq < size; seq++) {
        entries.remove(seq);
      }
      rejections.removeIf(r -> r.value().getLedgerSeq() < size);
      checkpoints.remove(size);
      state
          .head()
          .ifPresent(
              h -> {
                long last = window.get(window.size() - 1).entry().getLedgerTime();
                state.forgetBefore(last - Parameters.of(h.getParameters()).dedupeRetentionMs());
              });
      unsaved = true;
      if (System.currentTimeMillis() - lastSave >= saveIntervalMs) {
        save(consumer);
      }
      listener.verified(size, entriesVerified, c.createdAt());
    }
    return Optional.empty();
  }

  /**
   * Saves the verified state and, per partition, the offset of the first record it still needs: a
   * restart reads again only what is not verified yet.
   */
  private void save(KafkaConsumer<byte[], byte[]> consumer) throws IOException {
    Map<TopicPartition, Long> resume = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      resume.put(tp, consumer.position(tp));
    }
    entries.values().forEach(p -> resume.merge(p.where(), p.offset(), Math::min));
    rejections.forEach(p -> resume.merge(p.where(), p.offset(), Math::min));
    checkpoints.values().forEach(p -> resume.merge(p.where(), p.offset(), Math::min));
    Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    try (FileChannel ch =
            FileChannel.open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        OutputStream raw = Channels.newOutputStream(ch);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
      out.writeUTF("trustledger-monitor/v1");
      out.write(ledgerKey.raw());
      out.writeLong(frontier.size());
      out.writeLong(entriesVerified);
      List<byte[]> hashes = frontier.hashes();
      out.writeInt(hashes.size());
      for (byte[] h : hashes) {
        out.write(h);
      }
      out.writeInt(resume.size());
      for (Map.Entry<TopicPartition, Long> e : resume.entrySet()) {
        out.writeUTF(e.getKey().topic());
        out.writeInt(e.getKey().partition());
        out.writeLong(e.getValue());
      }
      state.writeTo(out);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    saved.clear();
    saved.putAll(resume);
    lastSave = System.currentTimeMillis();
    unsaved = false;
  }

  private void load() throws IOException {
    if (!Files.exists(stateFile)) {
      return;
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(stateFile)))) {
      if (!in.readUTF().equals("trustledger-monitor/v1")) {
        throw new IOException(stateFile + " is not a monitor's state");
      }
      byte[] key = in.readNBytes(32);
      if (!Arrays.equals(key, ledgerKey.raw())) {
        throw new IOException(
            stateFile + " is the state of a monitor of ledger key " + Hex.encode(key));
      }
      long size = in.readLong();
      entriesVerified = in.readLong();
      List<byte[]> hashes = new ArrayList<>();
      for (int n = in.readInt(); n > 0; n--) {
        hashes.add(in.readNBytes(32));
      }
      frontier = Frontier.of(size, hashes);
      for (int n = in.readInt(); n > 0; n--) {
        saved.put(new TopicPartition(in.readUTF(), in.readInt()), in.readLong());
      }
      state = MemoryLedgerState.readFrom(in);
    } catch (IllegalArgumentException e) {
      throw new IOException(stateFile + " is damaged: " + e.getMessage(), e);
    }
  }
}
