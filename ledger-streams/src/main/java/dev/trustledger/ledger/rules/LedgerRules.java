package dev.trustledger.ledger.rules;

import static dev.trustledger.avro.RejectionReason.ALREADY_REGISTERED;
import static dev.trustledger.avro.RejectionReason.DUPLICATE_EVENT;
import static dev.trustledger.avro.RejectionReason.EXPIRED;
import static dev.trustledger.avro.RejectionReason.FUTURE_EVENT;
import static dev.trustledger.avro.RejectionReason.INVALID_FIELD;
import static dev.trustledger.avro.RejectionReason.PARENT_NOT_ACTIVE;
import static dev.trustledger.avro.RejectionReason.SELF_REPORT;
import static dev.trustledger.avro.RejectionReason.SIGNER_NOT_ACTIVE;
import static dev.trustledger.avro.RejectionReason.SIGNER_NOT_AUTHORIZED;
import static dev.trustledger.avro.RejectionReason.SPONSOR_NOT_ACTIVE;
import static dev.trustledger.avro.RejectionReason.STALE_EVENT;
import static dev.trustledger.avro.RejectionReason.SUBJECT_REVOKED;
import static dev.trustledger.avro.RejectionReason.UNKNOWN_SIGNER;
import static dev.trustledger.avro.RejectionReason.UNKNOWN_SUBJECT;

import dev.trustledger.avro.AgentRegistered;
import dev.trustledger.avro.AgentReinstated;
import dev.trustledger.avro.AgentRevoked;
import dev.trustledger.avro.AgentSuspended;
import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.SponsorRegistered;
import dev.trustledger.avro.SponsorRevoked;
import dev.trustledger.avro.TrustState;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.Report;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import dev.trustledger.trust.Weights;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's processing rules (DESIGN sections 3, 4 and 6) for an event whose signature has been
 * verified: replay window, dedupe, who may sign what, state transitions, reporter weights and
 * cascades. Pure over a {@link Directory}: the topology and the auditor run the same code.
 */
public final class LedgerRules {
  private final Map<String, Ed25519PublicKey> admins;
  private final TrustParams params;
  private final long replayWindowMs;
  private final long futureSkewMs;

  public LedgerRules(
      Map<String, Ed25519PublicKey> admins,
      TrustParams params,
      long replayWindowMs,
      long futureSkewMs) {
    this.admins = Map.copyOf(admins);
    this.params = params;
    this.replayWindowMs = replayWindowMs;
    this.futureSkewMs = futureSkewMs;
  }

  /** The rules of a ledger configured as {@code config}. */
  public static LedgerRules of(dev.trustledger.ledger.config.LedgerConfig config) {
    return new LedgerRules(
        config.adminKeys(), config.trustParams(), config.replayWindowMs(), config.futureSkewMs());
  }

  public TrustParams params() {
    return params;
  }

  public long replayWindowMs() {
    return replayWindowMs;
  }

  public long futureSkewMs() {
    return futureSkewMs;
  }

  /** The raw key of a signer: an admin's from configuration, or a registered principal's. */
  public Optional<byte[]> signerKey(String signerId, Directory directory) {
    Ed25519PublicKey admin = admins.get(signerId);
    if (admin != null) {
      return Optional.of(admin.raw());
    }
    if (PrincipalIds.kindOf(signerId).isEmpty()) {
      return Optional.empty();
    }
    return directory.principal(signerId).map(p -> Buffers.toArray(p.getPublicKey()));
  }

  /** The key of an admin, if {@code id} is one. */
  public Optional<Ed25519PublicKey> adminKey(String id) {
    return Optional.ofNullable(admins.get(id));
  }

  /** Decides about a verified event at ledger time {@code t}. */
  public Decision decide(SignedEvent event, long t, Directory directory) {
    String signerId = event.getSignerId();
    boolean signerIsAdmin = admins.containsKey(signerId);
    Optional<Principal> signer = signerIsAdmin ? Optional.empty() : directory.principal(signerId);
    if (!signerIsAdmin && signer.isEmpty()) {
      return reject(UNKNOWN_SIGNER, "no admin or registered principal " + signerId);
    }
    long issuedAt = event.getIssuedAt();
    if (issuedAt < t - replayWindowMs) {
      return reject(
          STALE_EVENT,
          "issued_at "
              + issuedAt
              + " is more than "
              + replayWindowMs
              + " ms before ledger time "
              + t);
    }
    if (issuedAt > t + futureSkewMs) {
      return reject(
          FUTURE_EVENT,
          "issued_at " + issuedAt + " is more than " + futureSkewMs + " ms after ledger time " + t);
    }
    if (directory.eventAccepted(
        event.getSubjectId(), event.getEventId(), t - replayWindowMs - futureSkewMs, t)) {
      return reject(
          DUPLICATE_EVENT,
          "event_id " + event.getEventId() + " was already accepted for " + event.getSubjectId());
    }
    // An agent registration names its signer's role: its checks say SPONSOR_ or PARENT_NOT_ACTIVE.
    boolean registration = event.getPayload() instanceof AgentRegistered;
    Optional<Rejected> inactive =
        registration ? Optional.empty() : signer.flatMap(p -> checkActive("signer", p, t));
    if (inactive.isPresent()) {
      return new Decision.Reject(inactive.get());
    }
    byte[] signerKey =
        signerIsAdmin ? admins.get(signerId).raw() : Buffers.toArray(signer.get().getPublicKey());
    PrincipalKind signerKind = signerIsAdmin ? PrincipalKind.ADMIN : signer.get().getKind();
    Context c = new Context(event, t, directory, signerId, signerKind, signer, signerKey);

    Object payload = event.getPayload();
    if (payload instanceof SponsorRegistered s) {
      return registerSponsor(c, s);
    }
    if (payload instanceof AgentRegistered a) {
      return registerAgent(c, a);
    }
    if (payload instanceof BehaviourReported r) {
      return report(c, r);
    }
    if (payload instanceof AgentSuspended s) {
      return setStatus(c, PrincipalStatus.SUSPENDED, false);
    }
    if (payload instanceof AgentReinstated r) {
      return setStatus(c, PrincipalStatus.ACTIVE, false);
    }
    if (payload instanceof AgentRevoked r) {
      return revokeAgent(c, r);
    }
    if (payload instanceof SponsorRevoked r) {
      return revokeSponsor(c, r);
    }
    return reject(INVALID_FIELD, "unknown payload type");
  }

  /** What the rules need to know about the event being decided. */
  private record Context(
      SignedEvent event,
      long t,
      Directory directory,
      String signerId,
      PrincipalKind signerKind,
      Optional<Principal> signer,
      byte[] signerKey) {

    EntryFacts.Builder facts(PrincipalStatus statusAfter) {
      return EntryFacts.newBuilder()
          .setSignerPublicKey(ByteBuffer.wrap(signerKey))
          .setSignerKind(signerKind)
          .setStatusAfter(statusAfter);
    }
  }

  private Decision registerSponsor(Context c, SponsorRegistered s) {
    if (c.signerKind != PrincipalKind.ADMIN) {
      return reject(SIGNER_NOT_AUTHORIZED, "only an admin registers sponsors, not " + c.signerId);
    }
    String id = c.event.getSubjectId();
    if (c.directory.principal(id).isPresent()) {
      return reject(ALREADY_REGISTERED, id + " is already registered");
    }
    Principal sponsor =
        Principal.newBuilder()
            .setId(id)
            .setKind(PrincipalKind.SPONSOR)
            .setPublicKey(s.getPublicKey())
            .setStatus(PrincipalStatus.ACTIVE)
            .setName(s.getName())
            .setContact(s.getContact())
            .setCreatedAt(c.t)
            .build();
    return new Decision.Accept(
        c.facts(PrincipalStatus.ACTIVE).build(),
        List.of(sponsor),
        List.of(),
        signerActivity(c, new LinkedHashMap<>()),
        List.of(),
        "");
  }

  private Decision registerAgent(Context c, AgentRegistered a) {
    String id = c.event.getSubjectId();
    if (c.directory.principal(id).isPresent()) {
      return reject(ALREADY_REGISTERED, id + " is already registered");
    }
    Optional<Principal> sponsor = c.directory.principal(a.getSponsorId());
    if (sponsor.isEmpty() || sponsor.get().getStatus() != PrincipalStatus.ACTIVE) {
      return reject(
          SPONSOR_NOT_ACTIVE,
          "sponsor "
              + a.getSponsorId()
              + (sponsor.isEmpty() ? " is not registered" : " is " + sponsor.get().getStatus()));
    }
    List<Decision.Link> links = new ArrayList<>();
    String parentId = a.getParentAgentId();
    if (parentId == null) {
      if (!c.signerId.equals(a.getSponsorId())) {
        return reject(
            SIGNER_NOT_AUTHORIZED, "an agent is registered by its sponsor " + a.getSponsorId());
      }
    } else {
      if (!c.signerId.equals(parentId)) {
        return reject(
            SIGNER_NOT_AUTHORIZED, "a sub-agent is registered by its parent agent " + parentId);
      }
      Principal parent = c.signer.orElseThrow();
      Optional<Rejected> inactive = checkActive("parent", parent, c.t);
      if (inactive.isPresent()) {
        return reject(PARENT_NOT_ACTIVE, inactive.get().detail());
      }
      if (!a.getSponsorId().equals(parent.getSponsorId())) {
        return reject(
            INVALID_FIELD,
            "sponsor_id "
                + a.getSponsorId()
                + " differs from the parent's sponsor "
                + parent.getSponsorId());
      }
      links.add(new Decision.Link(parentId, id));
    }
    if (a.getExpiresAt() != null && a.getExpiresAt() <= c.t) {
      return reject(EXPIRED, "expires_at " + a.getExpiresAt() + " is not after ledger time " + c.t);
    }
    links.add(new Decision.Link(a.getSponsorId(), id));
    Principal agent =
        Principal.newBuilder()
            .setId(id)
            .setKind(PrincipalKind.AGENT)
            .setPublicKey(a.getPublicKey())
            .setStatus(PrincipalStatus.ACTIVE)
            .setSponsorId(a.getSponsorId())
            .setParentAgentId(parentId)
            .setName(a.getName())
            .setWallet(a.getWallet())
            .setCapabilities(a.getCapabilities())
            .setCreatedAt(c.t)
            .setExpiresAt(a.getExpiresAt())
            .build();
    Evidence fresh = Evidence.registered(c.t);
    Map<String, Evidence> evidence = new LinkedHashMap<>();
    evidence.put(id, fresh);
    signerActivity(c, evidence);
    return new Decision.Accept(
        c.facts(PrincipalStatus.ACTIVE).setTrustAfter(toAvro(fresh)).build(),
        List.of(agent),
        links,
        evidence,
        List.of(),
        "");
  }

  private Decision report(Context c, BehaviourReported r) {
    String subjectId = c.event.getSubjectId();
    Optional<Principal> found = c.directory.principal(subjectId);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + subjectId);
    }
    Principal subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subjectId + " is revoked");
    }
    if (c.signerId.equals(subjectId)) {
      return reject(SELF_REPORT, "an agent cannot report on itself");
    }
    if (c.directory.interactionCounted(
        c.signerId, subjectId, r.getInteractionId(), c.t - replayWindowMs - futureSkewMs, c.t)) {
      return reject(
          DUPLICATE_EVENT,
          "interaction " + r.getInteractionId() + " by " + c.signerId + " was already counted");
    }
    Weights weights = weights(c, subject);
    Evidence before =
        c.directory.evidence(subjectId).orElse(Evidence.registered(subject.getCreatedAt()));
    Evidence after =
        TrustModel.apply(before, new Report(c.t, r.getRating(), r.getSeverity(), weights), params);
    Map<String, Evidence> evidence = new LinkedHashMap<>();
    evidence.put(subjectId, after);
    signerActivity(c, evidence);
    return new Decision.Accept(
        c.facts(subject.getStatus())
            .setPositiveWeight(weights.positive())
            .setNegativeWeight(weights.negative())
            .setTrustAfter(toAvro(after))
            .build(),
        List.of(),
        List.of(),
        evidence,
        List.of(),
        "");
  }

  /** Reporter weights: admin 1, related reporters no positive weight, others their own trust. */
  private Weights weights(Context c, Principal subject) {
    if (c.signerKind == PrincipalKind.ADMIN) {
      return Weights.admin();
    }
    Principal reporter = c.signer.orElseThrow();
    boolean related =
        reporter.getId().equals(subject.getSponsorId())
            || (reporter.getKind() == PrincipalKind.AGENT
                && subject.getSponsorId() != null
                && subject.getSponsorId().equals(reporter.getSponsorId()));
    if (related) {
      return Weights.related();
    }
    if (reporter.getKind() == PrincipalKind.SPONSOR) {
      return Weights.ofReporterTrust(1.0);
    }
    Evidence evidence =
        c.directory.evidence(reporter.getId()).orElse(Evidence.registered(reporter.getCreatedAt()));
    return Weights.ofReporterTrust(TrustModel.evaluate(evidence, c.t, params).trust());
  }

  private Decision setStatus(Context c, PrincipalStatus status, boolean allowSelf) {
    Optional<Principal> found = agentSubject(c);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + c.event.getSubjectId());
    }
    Principal subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subject.getId() + " is revoked");
    }
    Optional<Rejected> unauthorized = authorizeOver(c, subject, allowSelf);
    if (unauthorized.isPresent()) {
      return new Decision.Reject(unauthorized.get());
    }
    Principal updated = Principal.newBuilder(subject).setStatus(status).build();
    Map<String, Evidence> evidence = new LinkedHashMap<>();
    Evidence after = activity(c.directory, subject, c.t);
    evidence.put(subject.getId(), after);
    signerActivity(c, evidence);
    return new Decision.Accept(
        c.facts(status).setTrustAfter(toAvro(after)).build(),
        List.of(updated),
        List.of(),
        evidence,
        List.of(),
        "");
  }

  private Decision revokeAgent(Context c, AgentRevoked r) {
    Optional<Principal> found = agentSubject(c);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + c.event.getSubjectId());
    }
    Principal subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subject.getId() + " is already revoked");
    }
    Optional<Rejected> unauthorized = authorizeOver(c, subject, true);
    if (unauthorized.isPresent()) {
      return new Decision.Reject(unauthorized.get());
    }
    List<Principal> updates = new ArrayList<>();
    updates.add(Principal.newBuilder(subject).setStatus(PrincipalStatus.REVOKED).build());
    List<String> cascade = r.getCascade() ? descendants(c.directory, subject) : List.of();
    for (String id : cascade) {
      c.directory
          .principal(id)
          .ifPresent(
              p -> updates.add(Principal.newBuilder(p).setStatus(PrincipalStatus.REVOKED).build()));
    }
    Map<String, Evidence> evidence = new LinkedHashMap<>();
    Evidence after = activity(c.directory, subject, c.t);
    evidence.put(subject.getId(), after);
    signerActivity(c, evidence);
    return new Decision.Accept(
        c.facts(PrincipalStatus.REVOKED).setTrustAfter(toAvro(after)).build(),
        updates,
        List.of(),
        evidence,
        cascade,
        "parent agent " + subject.getId() + " revoked");
  }

  private Decision revokeSponsor(Context c, SponsorRevoked r) {
    String id = c.event.getSubjectId();
    Optional<Principal> found = c.directory.principal(id);
    if (found.isEmpty() || found.get().getKind() != PrincipalKind.SPONSOR) {
      return reject(UNKNOWN_SUBJECT, "no sponsor " + id);
    }
    Principal sponsor = found.get();
    if (sponsor.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, id + " is already revoked");
    }
    if (c.signerKind != PrincipalKind.ADMIN) {
      return reject(SIGNER_NOT_AUTHORIZED, "only an admin revokes sponsors, not " + c.signerId);
    }
    List<Principal> updates = new ArrayList<>();
    updates.add(Principal.newBuilder(sponsor).setStatus(PrincipalStatus.REVOKED).build());
    List<String> cascade = new ArrayList<>();
    for (String agentId : c.directory.children(id)) {
      Optional<Principal> agent = c.directory.principal(agentId);
      if (agent.isPresent() && agent.get().getStatus() != PrincipalStatus.REVOKED) {
        cascade.add(agentId);
        updates.add(Principal.newBuilder(agent.get()).setStatus(PrincipalStatus.REVOKED).build());
      }
    }
    return new Decision.Accept(
        c.facts(PrincipalStatus.REVOKED).build(),
        updates,
        List.of(),
        signerActivity(c, new LinkedHashMap<>()),
        cascade,
        "sponsor " + id + " revoked");
  }

  /** The subject of an agent event, if it is a registered agent. */
  private static Optional<Principal> agentSubject(Context c) {
    return c.directory
        .principal(c.event.getSubjectId())
        .filter(p -> p.getKind() == PrincipalKind.AGENT);
  }

  /**
   * Suspend, reinstate and revoke may be signed by the agent's sponsor, any agent above it in its
   * parent chain, an admin, and (revoke only) the agent itself.
   */
  private static Optional<Rejected> authorizeOver(Context c, Principal subject, boolean allowSelf) {
    if (c.signerKind == PrincipalKind.ADMIN
        || c.signerId.equals(subject.getSponsorId())
        || (allowSelf && c.signerId.equals(subject.getId()))) {
      return Optional.empty();
    }
    String ancestor = subject.getParentAgentId();
    while (ancestor != null) {
      if (ancestor.equals(c.signerId)) {
        return Optional.empty();
      }
      ancestor = c.directory.principal(ancestor).map(Principal::getParentAgentId).orElse(null);
    }
    return Optional.of(
        Rejected.of(
            SIGNER_NOT_AUTHORIZED,
            c.signerId
                + " is neither an admin, the sponsor, a parent agent"
                + (allowSelf ? " nor the agent itself" : "")
                + " of "
                + subject.getId()));
  }

  /** Every not yet revoked agent below {@code agent}, parents before their children. */
  static List<String> descendants(Directory directory, Principal agent) {
    List<String> out = new ArrayList<>();
    Deque<String> queue = new ArrayDeque<>(directory.children(agent.getId()));
    while (!queue.isEmpty()) {
      String id = queue.removeFirst();
      Optional<Principal> child = directory.principal(id);
      if (child.isEmpty()) {
        continue;
      }
      if (child.get().getStatus() != PrincipalStatus.REVOKED) {
        out.add(id);
      }
      queue.addAll(directory.children(id));
    }
    return out;
  }

  /** A signer that is not active, or an agent past its expiry, cannot act. */
  private static Optional<Rejected> checkActive(String role, Principal p, long t) {
    if (p.getStatus() != PrincipalStatus.ACTIVE) {
      return Optional.of(
          Rejected.of(SIGNER_NOT_ACTIVE, role + " " + p.getId() + " is " + p.getStatus()));
    }
    if (p.getExpiresAt() != null && p.getExpiresAt() <= t) {
      return Optional.of(
          Rejected.of(EXPIRED, role + " " + p.getId() + " expired at " + p.getExpiresAt()));
    }
    return Optional.empty();
  }

  /** Records activity of an agent signer. */
  private static Map<String, Evidence> signerActivity(Context c, Map<String, Evidence> evidence) {
    if (c.signerKind == PrincipalKind.AGENT) {
      Evidence current =
          evidence.containsKey(c.signerId)
              ? evidence.get(c.signerId)
              : c.directory
                  .evidence(c.signerId)
                  .orElse(Evidence.registered(c.signer.orElseThrow().getCreatedAt()));
      evidence.put(c.signerId, current.withActivity(c.t));
    }
    return evidence;
  }

  private static Evidence activity(Directory directory, Principal agent, long t) {
    return directory
        .evidence(agent.getId())
        .orElse(Evidence.registered(agent.getCreatedAt()))
        .withActivity(t);
  }

  /** The Avro form of evidence, as stored and recorded in entries. */
  public static TrustState toAvro(Evidence e) {
    return TrustState.newBuilder()
        .setPositive(e.positive())
        .setNegative(e.negative())
        .setEvidenceTime(e.evidenceTime())
        .setActivityTime(e.activityTime())
        .setPositiveReports(e.positiveReports())
        .setNegativeReports(e.negativeReports())
        .build();
  }

  public static Evidence fromAvro(TrustState s) {
    return new Evidence(
        s.getPositive(),
        s.getNegative(),
        s.getEvidenceTime(),
        s.getActivityTime(),
        s.getPositiveReports(),
        s.getNegativeReports());
  }

  private static Decision reject(RejectionReason reason, String detail) {
    return new Decision.Reject(Rejected.of(reason, detail));
  }
}
