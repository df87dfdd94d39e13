package dev.trustledger.ledger.config;

import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.trust.TrustParams;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every setting of the ledger in one place: keys, defaults, documentation and validation. Only
 * {@code main} reads the environment; everything else receives a {@code LedgerConfig}.
 */
public final class LedgerConfig extends AbstractConfig {
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  public static final String LEDGER_NAME_CONFIG = "ledger.name";
  public static final String APPLICATION_ID_CONFIG = "application.id";
  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  public static final String ADMIN_PUBLIC_KEYS_CONFIG = "admin.public.keys";
  public static final String LEDGER_KEY_FILE_CONFIG = "ledger.key.file";
  public static final String LEDGER_NEXT_KEY_FILES_CONFIG = "ledger.next.key.files";
  public static final String REPLAY_WINDOW_MS_CONFIG = "replay.window.ms";
  public static final String FUTURE_SKEW_MS_CONFIG = "future.skew.ms";
  public static final String CHECKPOINT_ENTRIES_CONFIG = "checkpoint.interval.entries";
  public static final String CHECKPOINT_INTERVAL_MS_CONFIG = "checkpoint.interval.ms";
  public static final String EVIDENCE_HALF_LIFE_MS_CONFIG = "trust.evidence.half.life.ms";
  public static final String INACTIVITY_HALF_LIFE_MS_CONFIG = "trust.inactivity.half.life.ms";
  public static final String PRIOR_CONFIG = "trust.prior";
  public static final String PRIOR_WEIGHT_CONFIG = "trust.prior.weight";
  public static final String TREE_EVIDENCE_CAP_CONFIG = "trust.tree.evidence.cap";
  public static final String AGENT_MAX_LIFETIME_MS_CONFIG = "agent.max.lifetime.ms";
  public static final String STATE_DIR_CONFIG = "state.dir";
  public static final String STREAM_THREADS_CONFIG = "num.stream.threads";
  public static final String STANDBY_REPLICAS_CONFIG = "num.standby.replicas";
  public static final String EVENTS_PARTITIONS_CONFIG = "topics.events.partitions";
  public static final String ENTRIES_PARTITIONS_CONFIG = "topics.entries.partitions";
  public static final String REPLICATION_FACTOR_CONFIG = "topics.replication.factor";
  public static final String MIN_INSYNC_REPLICAS_CONFIG = "topics.min.insync.replicas";
  public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";

  /** Prefix of settings passed to every Kafka client (security, TLS, SASL, timeouts). */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.";

  /**
   * Client settings the ledger's guarantees rest on; {@code kafka.<one of these>} is refused rather
   * than silently overridden or obeyed.
   */
  public static final Set<String> LEDGER_OWNED_CLIENT_SETTINGS =
      Set.of(
          "bootstrap.servers",
          "application.id",
          "processing.guarantee",
          "acks",
          "enable.idempotence",
          "isolation.level",
          "transactional.id",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "enable.auto.commit");

  public static final String HTTP_HOST_CONFIG = "http.host";
  public static final String HTTP_PORT_CONFIG = "http.port";
  public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
  public static final String HTTP_MAX_BODY_BYTES_CONFIG = "http.max.body.bytes";
  public static final String HTTP_READ_TOKEN_CONFIG = "http.read.token";
  public static final String HTTP_CORS_ORIGINS_CONFIG = "http.cors.origins";
  public static final String HTTP_METRICS_TOKEN_CONFIG = "http.metrics.token";
  public static final String HTTP_MAX_THREADS_CONFIG = "http.max.threads";
  public static final String HTTP_MAX_BODY_READERS_CONFIG = "http.max.body.readers";
  public static final String EXCEPTION_POLICY_CONFIG = "sequencer.exception.policy";
  public static final String WITNESS_KEYS_CONFIG = "witness.keys";
  public static final String WITNESS_URLS_CONFIG = "witness.urls";
  public static final String WITNESS_QUORUM_CONFIG = "witness.quorum";
  public static final String NODE_ROLE_CONFIG = "node.role";
  public static final String NODE_ID_CONFIG = "node.id";
  public static final String NODE_FORWARD_URL_CONFIG = "node.forward.url";
  public static final String SESSION_TIMEOUT_MS_CONFIG = "group.session.timeout.ms";
  public static final String HTTP_MIN_SEQ_WAIT_MS_CONFIG = "http.min.seq.wait.ms";
  public static final String VIEWS_RECENT_CHANGES_CONFIG = "views.recent.changes";
  public static final String SSF_ISSUER_CONFIG = "ssf.issuer";
  public static final String SSF_AUDIENCE_CONFIG = "ssf.audience";
  public static final String SSF_PUSH_URLS_CONFIG = "ssf.push.urls";
  public static final String SSF_PUSH_TOKEN_CONFIG = "ssf.push.token";

  /** What a node runs. */
  public enum Role {
    /** The topology (verify, sequencer, global stores), the read model and the API. */
    FULL,
    /** The read model, the global stores and the API: no task of the ledger's group. */
    READER
  }

  /** What the sequencer does when deciding an input throws (a bug, not a bad input). */
  public enum ExceptionPolicy {
    /** Fail the task: Kafka Streams retries it from the last commit, nothing is lost. */
    FAIL,
    /** Reject the input as INTERNAL_ERROR and go on; the auditor reports every such input. */
    REJECT
  }

  /**
   * Keys whose values are ledger parameters: they seed the genesis entry, and afterwards the log
   * holds them (a LedgerParametersChanged entry changes them).
   */
  public static final List<String> PARAMETER_KEYS =
      List.of(
          "ledger.name",
          "admin.public.keys",
          "trust.evidence.half.life.ms",
          "trust.inactivity.half.life.ms",
          "trust.prior",
          "trust.prior.weight",
          "trust.tree.evidence.cap",
          "replay.window.ms",
          "future.skew.ms",
          "topics.entries.partitions",
          "checkpoint.interval.entries",
          "checkpoint.interval.ms");

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              LEDGER_NAME_CONFIG,
              Type.STRING,
              "trustledger.local",
              new ConfigDef.NonEmptyStringWithoutControlChars(),
              Importance.HIGH,
              "Name of this ledger: the origin prefix of its checkpoints and the name of its"
                  + " checkpoint signing key. No spaces or '+'. A ledger parameter: it seeds the"
                  + " genesis entry and must match the log afterwards.")
          .define(
              APPLICATION_ID_CONFIG,
              Type.STRING,
              "trustledger",
              Importance.HIGH,
              "Kafka Streams application id; nodes with the same id share the work.")
          .define(
              BOOTSTRAP_SERVERS_CONFIG,
              Type.STRING,
              "localhost:9092",
              Importance.HIGH,
              "Kafka bootstrap servers.")
          .define(
              SCHEMA_REGISTRY_URL_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Schema Registry REST API root (Confluent-compatible). Empty: Avro single-object"
                  + " encoding without a registry.")
          .define(
              ADMIN_PUBLIC_KEYS_CONFIG,
              Type.LIST,
              List.of(),
              Importance.HIGH,
              "Trust anchors: raw 32-byte Ed25519 public keys of the admins, base64url without"
                  + " padding, comma separated. A ledger parameter.")
          .define(
              LEDGER_KEY_FILE_CONFIG,
              Type.STRING,
              "",
              Importance.HIGH,
              "PKCS#8 PEM file of the ledger's own Ed25519 key: its genesis key, whose hash is the"
                  + " ledger's id. It signs checkpoints, receipts and outcomes until the ledger"
                  + " rotates its key, and always the node-internal records (ledger.keys and the"
                  + " sequencer's hand-over).")
          .define(
              LEDGER_NEXT_KEY_FILES_CONFIG,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "PKCS#8 PEM files (comma-separated) of the keys the ledger's key rotates to. After"
                  + " the ledger's KeyRotated entry, checkpoints, receipts and outcomes are signed"
                  + " with the key the log names, which must be here or the sequencer stops.")
          .define(
              REPLAY_WINDOW_MS_CONFIG,
              Type.LONG,
              DAY_MS,
              Range.atLeast(1000),
              Importance.MEDIUM,
              "How far issued_at may lie behind ledger time; also how long event ids are"
                  + " remembered for dedupe. A ledger parameter.")
          .define(
              FUTURE_SKEW_MS_CONFIG,
              Type.LONG,
              5 * 60_000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "How far issued_at may lie ahead of ledger time. A ledger parameter.")
          .define(
              CHECKPOINT_ENTRIES_CONFIG,
              Type.INT,
              1000,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Publish a checkpoint of a partition after this many new entries. A ledger"
                  + " parameter.")
          .define(
              CHECKPOINT_INTERVAL_MS_CONFIG,
              Type.LONG,
              10_000L,
              Range.atLeast(100),
              Importance.MEDIUM,
              "Publish checkpoints of partitions with new entries at least this often"
                  + " (wall clock). A ledger parameter.")
          .define(
              EVIDENCE_HALF_LIFE_MS_CONFIG,
              Type.LONG,
              TrustParams.DEFAULTS.evidenceHalfLifeMs(),
              Range.atLeast(1),
              Importance.LOW,
              "H_e: half-life of behaviour evidence. A ledger parameter.")
          .define(
              INACTIVITY_HALF_LIFE_MS_CONFIG,
              Type.LONG,
              TrustParams.DEFAULTS.inactivityHalfLifeMs(),
              Range.atLeast(1),
              Importance.LOW,
              "H_i: half-life of the prior while an agent is inactive. A ledger parameter.")
          .define(
              PRIOR_CONFIG,
              Type.DOUBLE,
              TrustParams.DEFAULTS.prior(),
              Range.between(0.0, 1.0),
              Importance.LOW,
              "p0: trust of an agent without evidence. A ledger parameter.")
          .define(
              PRIOR_WEIGHT_CONFIG,
              Type.DOUBLE,
              TrustParams.DEFAULTS.priorWeight(),
              Importance.LOW,
              "K: weight of the prior against evidence. A ledger parameter.")
          .define(
              TREE_EVIDENCE_CAP_CONFIG,
              Type.DOUBLE,
              TrustParams.DEFAULTS.treeEvidenceCap(),
              Importance.LOW,
              "C: the most evidence one sponsor's tree (the sponsor and its agents) adds about one"
                  + " agent per evidence half-life, so that no one party sinks or lifts another's"
                  + " agent alone. A ledger parameter.")
          .define(
              AGENT_MAX_LIFETIME_MS_CONFIG,
              Type.LONG,
              0L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "The longest an agent may be valid from its registration or a renewal, e.g."
                  + " 7776000000 (90 days); 0: no cap. Under a cap every agent registration and"
                  + " renewal must carry an expires_at within it (INVALID_FIELD otherwise). A ledger"
                  + " parameter.")
          .define(
              STATE_DIR_CONFIG,
              Type.STRING,
              System.getProperty("java.io.tmpdir") + "/trustledger-state",
              Importance.MEDIUM,
              "Folder of the RocksDB state stores.")
          .define(
              STREAM_THREADS_CONFIG,
              Type.INT,
              2,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Kafka Streams threads; signature verification runs on all of them.")
          .define(
              STANDBY_REPLICAS_CONFIG,
              Type.INT,
              1,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Standby replicas of each state store on other full nodes: a standby follows the"
                  + " sequencer's changelogs, so a failover resumes decisions without restoring"
                  + " them.")
          .define(
              EVENTS_PARTITIONS_CONFIG,
              Type.INT,
              3,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Partitions of ledger.events (parallelism of verification).")
          .define(
              ENTRIES_PARTITIONS_CONFIG,
              Type.INT,
              3,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Partitions of ledger.entries; each has its own log hash and checkpoints. A ledger"
                  + " parameter, fixed for the life of the ledger.")
          .define(
              REPLICATION_FACTOR_CONFIG,
              Type.SHORT,
              (short) 1,
              Importance.MEDIUM,
              "Replication factor of the ledger's topics.")
          .define(
              MIN_INSYNC_REPLICAS_CONFIG,
              Type.INT,
              1,
              Range.atLeast(1),
              Importance.MEDIUM,
              "min.insync.replicas of the ledger's topics.")
          .define(
              COMMIT_INTERVAL_MS_CONFIG,
              Type.LONG,
              100L,
              Range.atLeast(1),
              Importance.LOW,
              "Kafka Streams commit interval (transaction length under exactly-once).")
          .define(
              HTTP_HOST_CONFIG,
              Type.STRING,
              "127.0.0.1",
              Importance.MEDIUM,
              "Address the HTTP API listens on.")
          .define(
              HTTP_PORT_CONFIG,
              Type.INT,
              8080,
              Range.between(0, 65535),
              Importance.MEDIUM,
              "Port of the HTTP API.")
          .define(
              HTTP_ADVERTISED_HOST_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Host other nodes use to reach this node's API (application.server); empty: http.host.")
          .define(
              HTTP_MAX_BODY_BYTES_CONFIG,
              Type.LONG,
              64 * 1024L,
              Range.atLeast(1024),
              Importance.LOW,
              "Largest accepted request body.")
          .define(
              HTTP_READ_TOKEN_CONFIG,
              Type.PASSWORD,
              "",
              Importance.MEDIUM,
              "Bearer token required for reads; empty leaves reads open. Several tokens,"
                  + " comma-separated, are each accepted: to rotate, add the new one, move the"
                  + " clients, then remove the old one.")
          .define(
              HTTP_CORS_ORIGINS_CONFIG,
              Type.LIST,
              List.of(),
              Importance.LOW,
              "Origins allowed by CORS; empty keeps CORS closed.")
          .define(
              HTTP_METRICS_TOKEN_CONFIG,
              Type.PASSWORD,
              "",
              Importance.MEDIUM,
              "Bearer token required for /metrics (several: comma-separated); empty: the read"
                  + " tokens, if any.")
          .define(
              HTTP_MAX_THREADS_CONFIG,
              Type.INT,
              200,
              Range.atLeast(8),
              Importance.LOW,
              "Most HTTP request threads; requests beyond them and a queue of 8 per thread wait"
                  + " or are refused.")
          .define(
              HTTP_MAX_BODY_READERS_CONFIG,
              Type.INT,
              32,
              Range.atLeast(1),
              Importance.LOW,
              "Most requests reading a body at once; others get 503 at once, so slow bodies"
                  + " cannot take every thread.")
          .define(
              WITNESS_KEYS_CONFIG,
              Type.LIST,
              List.of(),
              Importance.MEDIUM,
              "Cosignature verifier keys (C2SP vkeys, <name>+<hex id>+<base64 0x04||key>) of the"
                  + " witnesses the node submits each new checkpoint to; empty: no witnesses.")
          .define(
              WITNESS_URLS_CONFIG,
              Type.LIST,
              List.of(),
              Importance.MEDIUM,
              "Submission URL prefixes of those witnesses, in the same order (the node POSTs to"
                  + " <url>/add-checkpoint).")
          .define(
              WITNESS_QUORUM_CONFIG,
              Type.INT,
              -1,
              Range.atLeast(-1),
              Importance.MEDIUM,
              "How many witnesses must cosign a checkpoint before receipts are served from it;"
                  + " -1: all of them.")
          .define(
              EXCEPTION_POLICY_CONFIG,
              Type.STRING,
              "fail",
              ConfigDef.CaseInsensitiveValidString.in("fail", "reject"),
              Importance.LOW,
              "When deciding an input throws (a bug, not a bad input): 'fail' stops the"
                  + " sequencer task, which Kafka Streams retries from the last commit, so nothing"
                  + " is lost; 'reject' rejects the input as INTERNAL_ERROR and goes on, and the"
                  + " auditor reports each such input.")
          .define(
              NODE_ROLE_CONFIG,
              Type.STRING,
              "full",
              ConfigDef.CaseInsensitiveValidString.in("full", "reader"),
              Importance.MEDIUM,
              "'full' runs the ledger's topology (verify and sequencer tasks) and answers reads;"
                  + " 'reader' answers reads from the replicated read model and the log's global"
                  + " stores and takes no task, so it never stalls decisions by joining or"
                  + " leaving.")
          .define(
              NODE_ID_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Stable name of this node in the ledger's consumer group (static membership): a"
                  + " node restarted under the same name takes its tasks back without a"
                  + " rebalance. Empty: the advertised HTTP host and port.")
          .define(
              NODE_FORWARD_URL_CONFIG,
              Type.STRING,
              "",
              Importance.LOW,
              "Reader nodes: base URL of a full node (or a load balancer in front of them) to"
                  + " which the reads that need the sequencer's stores (event status) are"
                  + " forwarded. Empty: those reads answer 503 on a reader.")
          .define(
              SESSION_TIMEOUT_MS_CONFIG,
              Type.INT,
              10_000,
              Range.between(6_000, 300_000),
              Importance.MEDIUM,
              "How long the group waits for a node that stopped without leaving (killed, cut off)"
                  + " before its tasks move to another node.")
          .define(
              HTTP_MIN_SEQ_WAIT_MS_CONFIG,
              Type.LONG,
              5_000L,
              Range.between(0L, 60_000L),
              Importance.LOW,
              "Longest a read with min_seq waits for the node's read model to reach that"
                  + " ledger_seq before answering 503 with Retry-After.")
          .define(
              VIEWS_RECENT_CHANGES_CONFIG,
              Type.INT,
              100_000,
              Range.atLeast(1),
              Importance.LOW,
              "Changes kept in memory for stream subscribers that resume (Last-Event-ID);"
                  + " one resuming from further back gets each principal's latest state.")
          .define(
              SSF_ISSUER_CONFIG,
              Type.STRING,
              "",
              Importance.LOW,
              "The iss claim of Shared Signals tokens. Empty: urn:trustledger:<ledger id>.")
          .define(
              SSF_AUDIENCE_CONFIG,
              Type.STRING,
              "",
              Importance.LOW,
              "The aud claim of Shared Signals tokens (empty: none).")
          .define(
              SSF_PUSH_URLS_CONFIG,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Receivers to push Shared Signals tokens to (RFC 8935), comma-separated: every"
                  + " suspension, reinstatement and revocation, retried until delivered.")
          .define(
              SSF_PUSH_TOKEN_CONFIG,
              Type.PASSWORD,
              "",
              Importance.LOW,
              "Bearer token sent to the push receivers (empty: none).");

  private final Map<String, Ed25519PublicKey> adminKeys;

  public LedgerConfig(Map<?, ?> values) {
    super(DEFINITION, values);
    String name = getString(LEDGER_NAME_CONFIG);
    if (name.contains(" ") || name.contains("+")) {
      throw new ConfigException(LEDGER_NAME_CONFIG, name, "must not contain spaces or '+'");
    }
    Map<String, Ed25519PublicKey> admins = new LinkedHashMap<>();
    for (String encoded : getList(ADMIN_PUBLIC_KEYS_CONFIG)) {
      try {
        Ed25519PublicKey key = Ed25519PublicKey.of(Base64Url.decode(encoded.trim()));
        admins.put(PrincipalIds.of(PrincipalKind.ADMIN, key.raw()), key);
      } catch (IllegalArgumentException | CryptoException e) {
        throw new ConfigException(
            ADMIN_PUBLIC_KEYS_CONFIG,
            encoded,
            "not a base64url Ed25519 public key: " + e.getMessage());
      }
    }
    this.adminKeys = Map.copyOf(admins);
    for (String key : originalsWithPrefix(KAFKA_CLIENT_PREFIX).keySet()) {
      if (LEDGER_OWNED_CLIENT_SETTINGS.contains(key)) {
        throw new ConfigException(
            KAFKA_CLIENT_PREFIX + key,
            originals().get(KAFKA_CLIENT_PREFIX + key),
            "is the ledger's to set (bootstrap.servers is a key of its own)");
      }
    }
  }

  /**
   * Settings for every Kafka client of the node (Streams, its producers, consumers and admin, the
   * publisher): each {@code kafka.<setting>} key without its prefix, e.g. {@code
   * kafka.security.protocol=SASL_SSL}, then {@code bootstrap.servers}.
   */
  public Map<String, Object> kafkaClientSettings() {
    Map<String, Object> out = new LinkedHashMap<>(originalsWithPrefix(KAFKA_CLIENT_PREFIX));
    out.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS_CONFIG));
    return out;
  }

  /** Admin keys by admin id. */
  /** A witness the node submits checkpoints to. */
  public record Witness(dev.trustledger.checkpoint.CosignerKey key, String url) {}

  /**
   * The configured witnesses.
   *
   * @throws org.apache.kafka.common.config.ConfigException when the keys and URLs do not pair up or
   *     a key is not a cosignature verifier key
   */
  public List<Witness> witnesses() {
    List<String> keys = getList(WITNESS_KEYS_CONFIG);
    List<String> urls = getList(WITNESS_URLS_CONFIG);
    if (keys.size() != urls.size()) {
      throw new org.apache.kafka.common.config.ConfigException(
          WITNESS_KEYS_CONFIG
              + " names "
              + keys.size()
              + " witnesses, "
              + WITNESS_URLS_CONFIG
              + " "
              + urls.size()
              + ": give one URL per key, in the same order");
    }
    List<Witness> out = new java.util.ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      try {
        String url =
            urls.get(i).endsWith("/")
                ? urls.get(i).substring(0, urls.get(i).length() - 1)
                : urls.get(i);
        java.net.URI.create(url).toURL();
        out.add(new Witness(dev.trustledger.checkpoint.CosignerKey.parse(keys.get(i)), url));
      } catch (IllegalArgumentException | java.net.MalformedURLException e) {
        throw new org.apache.kafka.common.config.ConfigException(
            "witness "
                + (i + 1)
                + " ("
                + keys.get(i)
                + " at "
                + urls.get(i)
                + "): "
                + e.getMessage());
      }
    }
    return out;
  }

  /** How many witnesses must cosign a checkpoint: the configured quorum, or all of them. */
  public int witnessQuorum() {
    int n = getList(WITNESS_KEYS_CONFIG).size();
    int q = getInt(WITNESS_QUORUM_CONFIG);
    if (q > n) {
      throw new org.apache.kafka.common.config.ConfigException(
          WITNESS_QUORUM_CONFIG + "=" + q + " but only " + n + " witnesses are configured");
    }
    return q < 0 ? n : q;
  }

  public Map<String, Ed25519PublicKey> adminKeys() {
    return adminKeys;
  }

  public String ledgerName() {
    return getString(LEDGER_NAME_CONFIG);
  }

  public long replayWindowMs() {
    return getLong(REPLAY_WINDOW_MS_CONFIG);
  }

  public long futureSkewMs() {
    return getLong(FUTURE_SKEW_MS_CONFIG);
  }

  public int checkpointEntries() {
    return getInt(CHECKPOINT_ENTRIES_CONFIG);
  }

  public long checkpointIntervalMs() {
    return getLong(CHECKPOINT_INTERVAL_MS_CONFIG);
  }

  /** Files of the keys the ledger's key may rotate to. */
  public List<java.nio.file.Path> nextLedgerKeyFiles() {
    return getList(LEDGER_NEXT_KEY_FILES_CONFIG).stream()
        .filter(f -> !f.isBlank())
        .map(f -> java.nio.file.Path.of(f.trim()))
        .toList();
  }

  /**
   * The ledger's keys on this node: {@code identity} (from {@value #LEDGER_KEY_FILE_CONFIG}) and
   * the keys of {@value #LEDGER_NEXT_KEY_FILES_CONFIG}, read now.
   */
  public dev.trustledger.crypto.KeyRing keyRing(dev.trustledger.crypto.Ed25519PrivateKey identity) {
    List<dev.trustledger.crypto.Ed25519PrivateKey> next = new ArrayList<>();
    for (java.nio.file.Path file : nextLedgerKeyFiles()) {
      try {
        next.add(dev.trustledger.crypto.KeyFiles.readPrivateKey(file));
      } catch (java.io.IOException | RuntimeException e) {
        throw new ConfigException(
            LEDGER_NEXT_KEY_FILES_CONFIG,
            file.toString(),
            "cannot read the key: " + e.getMessage());
      }
    }
    return dev.trustledger.crypto.KeyRing.of(identity, next);
  }

  /** The agent lifetime cap, or null when there is none. */
  public Long agentMaxLifetimeMs() {
    long v = getLong(AGENT_MAX_LIFETIME_MS_CONFIG);
    return v == 0 ? null : v;
  }

  public int entriesPartitions() {
    return getInt(ENTRIES_PARTITIONS_CONFIG);
  }

  public TrustParams trustParams() {
    return new TrustParams(
        getLong(EVIDENCE_HALF_LIFE_MS_CONFIG),
        getLong(INACTIVITY_HALF_LIFE_MS_CONFIG),
        getDouble(PRIOR_CONFIG),
        getDouble(PRIOR_WEIGHT_CONFIG),
        getDouble(TREE_EVIDENCE_CAP_CONFIG));
  }

  public Role role() {
    return Role.valueOf(getString(NODE_ROLE_CONFIG).toUpperCase(java.util.Locale.ROOT));
  }

  public ExceptionPolicy exceptionPolicy() {
    return ExceptionPolicy.valueOf(
        getString(EXCEPTION_POLICY_CONFIG).toUpperCase(java.util.Locale.ROOT));
  }

  /** The ledger parameters this configuration gives: those of a new ledger's genesis entry. */
  public LedgerParameters parameters() {
    List<ByteBuffer> admins = new ArrayList<>();
    adminKeys.values().forEach(k -> admins.add(ByteBuffer.wrap(k.raw())));
    return LedgerParameters.newBuilder()
        .setLedgerName(ledgerName())
        .setAdminPublicKeys(admins)
        .setTrust(trustParams().toAvro())
        .setReplayWindowMs(replayWindowMs())
        .setFutureSkewMs(futureSkewMs())
        .setEntriesPartitions(entriesPartitions())
        .setCheckpointEntries(checkpointEntries())
        .setCheckpointIntervalMs(checkpointIntervalMs())
        .setAgentMaxLifetimeMs(agentMaxLifetimeMs())
        .build();
  }

  /**
   * Where this configuration contradicts the parameters in force in the log: one line per key that
   * the configuration sets explicitly to another value. Keys left unset take the log's values,
   * except {@value #ENTRIES_PARTITIONS_CONFIG}, which is also the topic's partition count.
   */
  public List<String> differencesFrom(LedgerParameters log) {
    LedgerParameters mine = parameters();
    List<String> out = new ArrayList<>();
    Set<String> given = originals().keySet();
    compare(out, given, LEDGER_NAME_CONFIG, mine.getLedgerName(), log.getLedgerName());
    compare(
        out,
        given,
        ADMIN_PUBLIC_KEYS_CONFIG,
        encodedKeys(mine.getAdminPublicKeys()),
        encodedKeys(log.getAdminPublicKeys()));
    compare(
        out,
        given,
        EVIDENCE_HALF_LIFE_MS_CONFIG,
        mine.getTrust().getEvidenceHalfLifeMs(),
        log.getTrust().getEvidenceHalfLifeMs());
    compare(
        out,
        given,
        INACTIVITY_HALF_LIFE_MS_CONFIG,
        mine.getTrust().getInactivityHalfLifeMs(),
        log.getTrust().getInactivityHalfLifeMs());
    compare(out, given, PRIOR_CONFIG, mine.getTrust().getPrior(), log.getTrust().getPrior());
    compare(
        out,
        given,
        PRIOR_WEIGHT_CONFIG,
        mine.getTrust().getPriorWeight(),
        log.getTrust().getPriorWeight());
    compare(
        out,
        given,
        TREE_EVIDENCE_CAP_CONFIG,
        mine.getTrust().getTreeEvidenceCap(),
        log.getTrust().getTreeEvidenceCap());
    compare(out, given, REPLAY_WINDOW_MS_CONFIG, mine.getReplayWindowMs(), log.getReplayWindowMs());
    compare(out, given, FUTURE_SKEW_MS_CONFIG, mine.getFutureSkewMs(), log.getFutureSkewMs());
    // Compared even when unset: the node creates and checks the topic with this count.
    compare(
        out,
        Set.of(ENTRIES_PARTITIONS_CONFIG),
        ENTRIES_PARTITIONS_CONFIG,
        mine.getEntriesPartitions(),
        log.getEntriesPartitions());
    compare(
        out,
        given,
        CHECKPOINT_ENTRIES_CONFIG,
        mine.getCheckpointEntries(),
        log.getCheckpointEntries());
    compare(
        out,
        given,
        CHECKPOINT_INTERVAL_MS_CONFIG,
        mine.getCheckpointIntervalMs(),
        log.getCheckpointIntervalMs());
    compare(
        out,
        given,
        AGENT_MAX_LIFETIME_MS_CONFIG,
        String.valueOf(mine.getAgentMaxLifetimeMs()),
        String.valueOf(log.getAgentMaxLifetimeMs()));
    return out;
  }

  private static void compare(
      List<String> out, Set<String> given, String key, Object configured, Object inLog) {
    if (given.contains(key) && !configured.equals(inLog)) {
      out.add(key + " is " + configured + " here, " + inLog + " in the log");
    }
  }

  private static Set<String> encodedKeys(List<ByteBuffer> keys) {
    Set<String> out = new java.util.TreeSet<>();
    keys.forEach(k -> out.add(Base64Url.encode(dev.trustledger.encoding.Buffers.toArray(k))));
    return out;
  }

  /** Prints every setting with its default and documentation, for {@code --help-config}. */
  public static String documentation() {
    return DEFINITION.toRst();
  }

  /**
   * A properties file with every setting, its documentation and its default: the distribution's
   * {@code config/ledger.properties}. Settings of high importance that are not ledger parameters
   * are set (to their defaults, to edit); the others are commented out.
   */
  public static String propertiesTemplate() {
    StringBuilder out = new StringBuilder();
    out.append(
        "# Trust Ledger node configuration: bin/ledger node --config config/ledger.properties\n");
    out.append(
        "# Every key can also come from the environment as LEDGER_<KEY> (capitals, dots as\n");
    out.append("# underscores, e.g. LEDGER_BOOTSTRAP_SERVERS); Kafka client settings as\n");
    out.append(
        "# kafka.<setting> here or LEDGER_KAFKA_<SETTING>. 'bin/ledger node --help-config'\n");
    out.append(
        "# prints the same documentation. Generated from the node's configuration definition.\n");
    out.append(
        "# Ledger parameters ('A ledger parameter') seed a new ledger's genesis entry and are\n");
    out.append(
        "# commented out: once the log holds them, a different value set here stops the node.\n");
    List<ConfigDef.ConfigKey> keys = new ArrayList<>(DEFINITION.configKeys().values());
    keys.sort(
        java.util.Comparator.comparing((ConfigDef.ConfigKey k) -> k.importance)
            .thenComparing(k -> k.name));
    for (ConfigDef.ConfigKey key : keys) {
      out.append('\n');
      for (String line : wrap(key.documentation, 96)) {
        out.append("# ").append(line).append('\n');
      }
      String type = key.type.name().toLowerCase(java.util.Locale.ROOT);
      out.append("# Type: ").append(type);
      if (key.validator != null) {
        out.append(". Valid values: ").append(key.validator);
      }
      out.append(". Importance: ").append(key.importance.name().toLowerCase(java.util.Locale.ROOT));
      out.append('\n');
      String value =
          key.type == ConfigDef.Type.PASSWORD || !key.hasDefault()
              ? ""
              : ConfigDef.convertToString(key.defaultValue, key.type);
      // Ledger parameters stay commented out: a value set here that the log does not have stops
      // the node, so they are set only for a new ledger, on purpose.
      boolean set =
          key.importance == ConfigDef.Importance.HIGH && !PARAMETER_KEYS.contains(key.name);
      out.append(set ? "" : "#").append(key.name).append('=').append(value == null ? "" : value);
      out.append('\n');
    }
    return out.toString();
  }

  private static java.util.List<String> wrap(String text, int width) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
