package dev.trustledger.event;

import dev.trustledger.avro.AgentCapabilitiesChanged;
import dev.trustledger.avro.AgentRegistered;
import dev.trustledger.avro.AgentReinstated;
import dev.trustledger.avro.AgentRenewed;
import dev.trustledger.avro.AgentRevoked;
import dev.trustledger.avro.AgentSuspended;
import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.KeyRotated;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.LedgerParametersChanged;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SponsorRegistered;
import dev.trustledger.avro.SponsorReinstated;
import dev.trustledger.avro.SponsorRevoked;
import dev.trustledger.avro.SponsorSuspended;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.id.PrincipalIds;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Builders for every event type of docs/spec.md section 4. Each returns an {@link EventDraft} to
 * sign:
 *
 * <pre>{@code
 * SignedEvent e = Events.report(agentId, "call-42", 90, Severity.LOW, "latency")
 *     .eventId("rep-1")
 *     .sign(Signer.agent(reporterKey));
 * }</pre>
 */
public final class Events {
  private Events() {}

  /** An admin registers a sponsor. Sign with the admin and the sponsor's own key. */
  public static EventDraft registerSponsor(
      Ed25519PublicKey sponsorKey, String name, String contact) {
    byte[] raw = sponsorKey.raw();
    return new EventDraft(
        PrincipalIds.of(PrincipalKind.SPONSOR, raw),
        SponsorRegistered.newBuilder()
            .setPublicKey(Buffers.wrap(raw))
            .setName(name)
            .setContact(contact)
            .build());
  }

  /** Starts an agent registration; finish it with {@link AgentRegistration#draft()}. */
  public static AgentRegistration registerAgent(Ed25519PublicKey agentKey, String sponsorId) {
    return new AgentRegistration(agentKey, sponsorId);
  }

  /** A behaviour report about {@code subjectId}. */
  public static EventDraft report(
      String subjectId, String interactionId, int rating, Severity severity, String category) {
    return report(subjectId, interactionId, rating, severity, category, null, null);
  }

  /** A behaviour report with evidence (its SHA-256 and where to find it). */
  public static EventDraft report(
      String subjectId,
      String interactionId,
      int rating,
      Severity severity,
      String category,
      byte[] evidenceSha256,
      String evidenceUri) {
    return new EventDraft(
        subjectId,
        BehaviourReported.newBuilder()
            .setInteractionId(interactionId)
            .setRating(rating)
            .setCategory(category)
            .setSeverity(severity)
            .setEvidenceSha256(Buffers.wrap(evidenceSha256))
            .setEvidenceUri(evidenceUri)
            .build());
  }

  public static EventDraft suspend(String agentId, String reason) {
    return new EventDraft(agentId, AgentSuspended.newBuilder().setReason(reason).build());
  }

  public static EventDraft reinstate(String agentId, String reason) {
    return new EventDraft(agentId, AgentReinstated.newBuilder().setReason(reason).build());
  }

  /** Revokes an agent and, by default, its sub-agents. */
  public static EventDraft revoke(String agentId, String reason) {
    return revoke(agentId, reason, true);
  }

  public static EventDraft revoke(String agentId, String reason, boolean cascade) {
    return new EventDraft(
        agentId, AgentRevoked.newBuilder().setReason(reason).setCascade(cascade).build());
  }

  public static EventDraft revokeSponsor(String sponsorId, String reason) {
    return new EventDraft(sponsorId, SponsorRevoked.newBuilder().setReason(reason).build());
  }

  /**
   * The genesis of a ledger: its key and parameters. Sign with {@code Signer.ledger(key)} and the
   * same key as proof of possession.
   */
  public static EventDraft genesis(Ed25519PublicKey ledgerKey, LedgerParameters parameters) {
    byte[] raw = ledgerKey.raw();
    return new EventDraft(
            PrincipalIds.of(PrincipalKind.LEDGER, raw),
            LedgerGenesis.newBuilder()
                .setPublicKey(Buffers.wrap(raw))
                .setParameters(parameters)
                .build())
        .eventId("genesis");
  }

  /** An admin changes the parameters of the ledger {@code ledgerId}. */
  public static EventDraft changeParameters(
      String ledgerId, LedgerParameters parameters, String reason) {
    return new EventDraft(
        ledgerId,
        LedgerParametersChanged.newBuilder().setParameters(parameters).setReason(reason).build());
  }

  /**
   * A principal's new key (docs/spec.md section 4.4): sign with {@code Signer} of the principal
   * itself (its current key) or of whoever may force the rotation, and the new key as proof of
   * possession.
   */
  public static EventDraft rotateKey(String principalId, Ed25519PublicKey newKey, String reason) {
    return new EventDraft(
        principalId,
        KeyRotated.newBuilder()
            .setNewPublicKey(Buffers.wrap(newKey.raw()))
            .setReason(reason)
            .build());
  }

  /** The agent is valid until {@code expiresAt} (epoch ms); signed by its sponsor or an admin. */
  public static EventDraft renew(String agentId, long expiresAt, String reason) {
    return new EventDraft(
        agentId, AgentRenewed.newBuilder().setExpiresAt(expiresAt).setReason(reason).build());
  }

  /** The agent's capabilities become {@code capabilities}. */
  public static EventDraft changeCapabilities(
      String agentId, List<String> capabilities, String reason) {
    return new EventDraft(
        agentId,
        AgentCapabilitiesChanged.newBuilder()
            .setCapabilities(List.copyOf(capabilities))
            .setReason(reason)
            .build());
  }

  public static EventDraft suspendSponsor(String sponsorId, String reason) {
    return new EventDraft(sponsorId, SponsorSuspended.newBuilder().setReason(reason).build());
  }

  public static EventDraft reinstateSponsor(String sponsorId, String reason) {
    return new EventDraft(sponsorId, SponsorReinstated.newBuilder().setReason(reason).build());
  }

  /**
   * The key whose possession the event must prove with {@code pop_signature}: a registered key, or
   * a rotation's new key.
   */
  public static Optional<ByteBuffer> provenKey(Object payload) {
    if (payload instanceof KeyRotated k) {
      return Optional.of(k.getNewPublicKey());
    }
    return registeredKey(payload);
  }

  /** The key a registration payload registers (sponsor, agent or the ledger's own). */
  public static Optional<ByteBuffer> registeredKey(Object payload) {
    if (payload instanceof SponsorRegistered s) {
      return Optional.of(s.getPublicKey());
    }
    if (payload instanceof AgentRegistered a) {
      return Optional.of(a.getPublicKey());
    }
    if (payload instanceof LedgerGenesis g) {
      return Optional.of(g.getPublicKey());
    }
    return Optional.empty();
  }

  /**
   * The kind of principal an event of this payload is about; empty for a key rotation, whose
   * subject may be any principal.
   */
  public static Optional<PrincipalKind> subjectKind(Object payload) {
    if (payload instanceof KeyRotated) {
      return Optional.empty();
    }
    if (payload instanceof SponsorRegistered
        || payload instanceof SponsorRevoked
        || payload instanceof SponsorSuspended
        || payload instanceof SponsorReinstated) {
      return Optional.of(PrincipalKind.SPONSOR);
    }
    if (payload instanceof LedgerGenesis || payload instanceof LedgerParametersChanged) {
      return Optional.of(PrincipalKind.LEDGER);
    }
    return Optional.of(PrincipalKind.AGENT);
  }

  /** The optional fields of an agent registration. */
  public static final class AgentRegistration {
    private final AgentRegistered.Builder payload;
    private final String subjectId;

    AgentRegistration(Ed25519PublicKey agentKey, String sponsorId) {
      byte[] raw = agentKey.raw();
      this.subjectId = PrincipalIds.of(PrincipalKind.AGENT, raw);
      this.payload =
          AgentRegistered.newBuilder()
              .setPublicKey(Buffers.wrap(raw))
              .setSponsorId(sponsorId)
              .setName(subjectId)
              .setCapabilities(List.of());
    }

    public AgentRegistration name(String name) {
      payload.setName(name);
      return this;
    }

    /** Registers a sub-agent of {@code parentAgentId} (which then signs the registration). */
    public AgentRegistration parent(String parentAgentId) {
      payload.setParentAgentId(parentAgentId);
      return this;
    }

    public AgentRegistration wallet(String wallet) {
      payload.setWallet(wallet);
      return this;
    }

    public AgentRegistration capabilities(List<String> capabilities) {
      payload.setCapabilities(List.copyOf(capabilities));
      return this;
    }

    /** Epoch milliseconds after which the agent is expired. */
    public AgentRegistration expiresAt(long epochMillis) {
      payload.setExpiresAt(epochMillis);
      return this;
    }

    public EventDraft draft() {
      return new EventDraft(subjectId, payload.build());
    }
  }
}
