package dev.trustledger.ledger.sequencer;

import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.trust.TrustParams;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's parameters in force, as the step uses them: admins by id and the trust model's
 * parameters, derived once from the {@link LedgerParameters} of the log (docs/spec.md section 10).
 */
public final class Parameters {
  /** Smallest replay window a ledger may have. */
  public static final long MIN_REPLAY_WINDOW_MS = 1000;

  /** Smallest checkpoint interval a ledger may have. */
  public static final long MIN_CHECKPOINT_INTERVAL_MS = 100;

  private final LedgerParameters avro;
  private final Map<String, Ed25519PublicKey> admins;
  private final TrustParams trust;

  private Parameters(LedgerParameters avro, Map<String, Ed25519PublicKey> admins) {
    this.avro = avro;
    this.admins = Map.copyOf(admins);
    this.trust = TrustParams.of(avro.getTrust());
  }

  /**
   * The parameters of {@code avro}.
   *
   * @throws IllegalArgumentException when they are not valid ({@link #problem})
   */
  public static Parameters of(LedgerParameters avro) {
    Optional<String> problem = problem(avro);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    Map<String, Ed25519PublicKey> admins = new LinkedHashMap<>();
    for (ByteBuffer key : avro.getAdminPublicKeys()) {
      Ed25519PublicKey k = Ed25519PublicKey.of(Buffers.toArray(key));
      admins.put(PrincipalIds.of(PrincipalKind.ADMIN, k.raw()), k);
    }
    return new Parameters(avro, admins);
  }

  /** What is wrong with {@code p}, if anything: the detail of an INVALID_FIELD rejection. */
  public static Optional<String> problem(LedgerParameters p) {
    String name = p.getLedgerName();
    if (name.isEmpty()
        || name.length() > 256
        || !name.chars().allMatch(c -> c > 0x20 && c != 0x7f && c != '+')) {
      return Optional.of(
          "parameters.ledger_name must be 1-256 characters without spaces, control characters or '+'");
    }
    if (p.getAdminPublicKeys().isEmpty()) {
      return Optional.of("parameters.admin_public_keys must name at least one admin");
    }
    for (ByteBuffer key : p.getAdminPublicKeys()) {
      try {
        Ed25519PublicKey.of(Buffers.toArray(key));
      } catch (CryptoException | IllegalArgumentException e) {
        return Optional.of("parameters.admin_public_keys: " + e.getMessage());
      }
    }
    try {
      TrustParams.of(p.getTrust());
    } catch (IllegalArgumentException e) {
      return Optional.of("parameters.trust: " + e.getMessage());
    }
    if (p.getReplayWindowMs() < MIN_REPLAY_WINDOW_MS) {
      return Optional.of("parameters.replay_window_ms must be at least " + MIN_REPLAY_WINDOW_MS);
    }
    if (p.getFutureSkewMs() < 0) {
      return Optional.of("parameters.future_skew_ms must not be negative");
    }
    if (p.getEntriesPartitions() < 1) {
      return Optional.of("parameters.entries_partitions must be positive");
    }
    if (p.getCheckpointEntries() < 1) {
      return Optional.of("parameters.checkpoint_entries must be positive");
    }
    if (p.getCheckpointIntervalMs() < MIN_CHECKPOINT_INTERVAL_MS) {
      return Optional.of(
          "parameters.checkpoint_interval_ms must be at least " + MIN_CHECKPOINT_INTERVAL_MS);
    }
    if (p.getAgentMaxLifetimeMs() != null && p.getAgentMaxLifetimeMs() < 1) {
      return Optional.of("parameters.agent_max_lifetime_ms must be positive when set");
    }
    return Optional.empty();
  }

  public LedgerParameters avro() {
    return avro;
  }

  public String ledgerName() {
    return avro.getLedgerName();
  }

  /** Admin keys by admin id. */
  public Map<String, Ed25519PublicKey> admins() {
    return admins;
  }

  public TrustParams trust() {
    return trust;
  }

  public long replayWindowMs() {
    return avro.getReplayWindowMs();
  }

  public long futureSkewMs() {
    return avro.getFutureSkewMs();
  }

  public int entriesPartitions() {
    return avro.getEntriesPartitions();
  }

  public int checkpointEntries() {
    return avro.getCheckpointEntries();
  }

  public long checkpointIntervalMs() {
    return avro.getCheckpointIntervalMs();
  }

  /** The longest an agent may be valid from a registration or renewal, ms; null: no cap. */
  public Long agentMaxLifetimeMs() {
    return avro.getAgentMaxLifetimeMs();
  }

  /** How long decisions must be remembered: twice the window in which duplicates are refused. */
  public long dedupeRetentionMs() {
    return 2 * (replayWindowMs() + futureSkewMs());
  }
}
