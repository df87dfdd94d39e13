package dev.trustledger.ledger.sequencer;

import static dev.trustledger.avro.RejectionReason.ALREADY_REGISTERED;
import static dev.trustledger.avro.RejectionReason.CAPABILITY_NOT_HELD;
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
import static dev.trustledger.avro.RejectionReason.UNKNOWN_SUBJECT;

import dev.trustledger.avro.AgentCapabilitiesChanged;
import dev.trustledger.avro.AgentRegistered;
import dev.trustledger.avro.AgentReinstated;
import dev.trustledger.avro.AgentRenewed;
import dev.trustledger.avro.AgentRevoked;
import dev.trustledger.avro.AgentSuspended;
import dev.trustledger.avro.BehaviourReported;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.EntryRef;
import dev.trustledger.avro.KeyRotated;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.LedgerParametersChanged;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.SponsorRegistered;
import dev.trustledger.avro.SponsorReinstated;
import dev.trustledger.avro.SponsorRevoked;
import dev.trustledger.avro.SponsorSuspended;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventHashes;
import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.RetiredKey;
import dev.trustledger.ledger.lineage.Lineage;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.Report;
import dev.trustledger.trust.ReportBounds;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.Weights;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's rules for an event whose signatures have been checked (docs/spec.md section 6):
 * replay window, dedupe, who may sign what, state transitions, reporter weights and cascades. Pure
 * over a {@link LedgerState}; the checks run in the order the specification gives, and the first
 * that fails names the rejection.
 */
final class Rules {
  private static final ByteBuffer NO_HASH = ByteBuffer.wrap(new byte[32]).asReadOnlyBuffer();

  /** What the rules decided. */
  sealed interface Outcome {}

  /**
   * The event is rejected.
   *
   * @param duplicateOf for DUPLICATE_EVENT, the entry that already holds the id or interaction
   */
  record Reject(Rejected rejected, EntryRef duplicateOf) implements Outcome {}

  /**
   * The event is accepted.
   *
   * @param facts the facts recorded in the subject's entry
   * @param updates new records of principals (the subject, the signer's activity, cascades)
   * @param links new parent -> child links
   * @param cascade agents revoked by derived entries, parents before children
   * @param cascadeReason the reason written into each derived revocation
   * @param parameters new ledger parameters, or null
   * @param keyChange the subject's new key, for a key rotation, or null
   */
  record Accept(
      EntryFacts facts,
      List<PrincipalState> updates,
      List<StateChanges.Link> links,
      List<String> cascade,
      String cascadeReason,
      LedgerParameters parameters,
      KeyChange keyChange)
      implements Outcome {
    Accept(
        EntryFacts facts,
        List<PrincipalState> updates,
        List<StateChanges.Link> links,
        List<String> cascade,
        String cascadeReason,
        LedgerParameters parameters) {
      this(facts, updates, links, cascade, cascadeReason, parameters, null);
    }
  }

  /**
   * A principal's new key.
   *
   * @param principalId the principal
   * @param kind its kind
   * @param oldKey the key it signed with until now
   * @param newKey the key it signs with from the rotation on
   * @param firstKey the key its id is the hash of
   */
  record KeyChange(
      String principalId, PrincipalKind kind, byte[] oldKey, byte[] newKey, byte[] firstKey) {}

  /**
   * Who signed: an admin, the ledger, or a registered principal ({@code principal} set).
   *
   * @param id the signer id
   * @param kind its kind
   * @param key the key its signature was checked with
   * @param principal its record, for sponsors and agents
   * @param retired the keys it rotated away from, newest first
   */
  record Signer(
      String id,
      PrincipalKind kind,
      byte[] key,
      PrincipalState principal,
      List<RetiredKey> retired) {
    Signer(String id, PrincipalKind kind, byte[] key, PrincipalState principal) {
      this(id, kind, key, principal, principal == null ? List.of() : principal.getRetiredKeys());
    }
  }

  /** How many retired keys a principal's record keeps, to name KEY_RETIRED. */
  static final int RETIRED_KEYS_KEPT = 16;

  private final LedgerState state;
  private final Parameters params;
  private final String ledgerId;
  private final long position;

  /**
   * @param position the ledger_seq the event's entry gets if it is accepted
   */
  Rules(LedgerState state, Parameters params, String ledgerId, long position) {
    this.state = state;
    this.params = params;
    this.ledgerId = ledgerId;
    this.position = position;
  }

  /** A new principal's record: no entries in its chain yet. */
  static PrincipalState.Builder fresh(String id, PrincipalKind kind, ByteBuffer key, long t) {
    return PrincipalState.newBuilder()
        .setId(id)
        .setKind(kind)
        .setPublicKey(key)
        .setStatus(PrincipalStatus.ACTIVE)
        .setCreatedAt(t)
        .setChainSeq(-1)
        .setChainHead(NO_HASH.duplicate())
        .setChainLedgerSeq(-1);
  }

  static Evidence evidence(PrincipalState p) {
    return p.getTrust() != null ? Evidence.of(p.getTrust()) : Evidence.registered(p.getCreatedAt());
  }

  /** Decides {@code event}, signed by {@code signer}, at ledger time {@code t}. */
  Outcome decide(SignedEvent event, long t, Signer signer) {
    long issuedAt = event.getIssuedAt();
    if (issuedAt < t - params.replayWindowMs()) {
      return reject(
          STALE_EVENT,
          "issued_at "
              + issuedAt
              + " is more than "
              + params.replayWindowMs()
              + " ms before ledger time "
              + t);
    }
    if (issuedAt > t + params.futureSkewMs()) {
      return reject(
          FUTURE_EVENT,
          "issued_at "
              + issuedAt
              + " is more than "
              + params.futureSkewMs()
              + " ms after ledger time "
              + t);
    }
    Optional<Decision> accepted =
        state.accepted(event.getSubjectId(), event.getEventId(), signer.id(), windowStart(t), t);
    if (accepted.isPresent()) {
      return new Reject(
          Rejected.of(
              DUPLICATE_EVENT,
              "event_id "
                  + event.getEventId()
                  + " of "
                  + signer.id()
                  + " was already accepted for "
                  + event.getSubjectId()
                  + " at ledger_seq "
                  + accepted.get().getEntry().getLedgerSeq()
                  + (accepted.get().getEventHash().equals(ByteBuffer.wrap(EventHashes.of(event)))
                      ? ""
                      : ", with other content")),
          accepted.get().getEntry());
    }
    Object payload = event.getPayload();
    if (signer.kind() == PrincipalKind.LEDGER
        && !(payload instanceof KeyRotated)
        && !(payload instanceof LedgerGenesis)) {
      // The ledger signs its genesis (decided before these rules) and its own key rotations.
      return reject(
          SIGNER_NOT_AUTHORIZED,
          "the ledger signs only its genesis and the rotations of its own key");
    }
    // An agent registration names its signer's role: its checks say SPONSOR_ or PARENT_NOT_ACTIVE.
    if (signer.principal() != null && !(payload instanceof AgentRegistered)) {
      Optional<Rejected> inactive = checkActive("signer", signer.principal(), t);
      if (inactive.isPresent()) {
        return new Reject(inactive.get(), null);
      }
    }
    Context c = new Context(event, t, signer);
    if (payload instanceof SponsorRegistered s) {
      return registerSponsor(c, s);
    }
    if (payload instanceof AgentRegistered a) {
      return registerAgent(c, a);
    }
    if (payload instanceof BehaviourReported r) {
      return report(c, r);
    }
    if (payload instanceof AgentSuspended) {
      return setStatus(c, PrincipalStatus.SUSPENDED);
    }
    if (payload instanceof AgentReinstated) {
      return setStatus(c, PrincipalStatus.ACTIVE);
    }
    if (payload instanceof AgentRevoked r) {
      return revokeAgent(c, r);
    }
    if (payload instanceof SponsorRevoked) {
      return revokeSponsor(c);
    }
    if (payload instanceof LedgerParametersChanged p) {
      return changeParameters(c, p);
    }
    if (payload instanceof LedgerGenesis) {
      return reject(ALREADY_REGISTERED, "the ledger " + ledgerId + " already has its genesis");
    }
    if (payload instanceof KeyRotated k) {
      return rotateKey(c, k);
    }
    if (payload instanceof AgentRenewed r) {
      return renew(c, r);
    }
    if (payload instanceof AgentCapabilitiesChanged ch) {
      return changeCapabilities(c, ch);
    }
    if (payload instanceof SponsorSuspended) {
      return setSponsorStatus(c, PrincipalStatus.SUSPENDED);
    }
    if (payload instanceof SponsorReinstated) {
      return setSponsorStatus(c, PrincipalStatus.ACTIVE);
    }
    return reject(INVALID_FIELD, "unknown payload type");
  }

  /** The oldest ledger time a duplicate can be remembered from at {@code t}. */
  private long windowStart(long t) {
    return t - params.replayWindowMs() - params.futureSkewMs();
  }

  /** The event being decided. */
  private record Context(SignedEvent event, long t, Signer signer) {
    EntryFacts.Builder facts(PrincipalStatus statusAfter) {
      return EntryFacts.newBuilder()
          .setSignerPublicKey(ByteBuffer.wrap(signer.key()))
          .setSignerKind(signer.kind())
          .setStatusAfter(statusAfter);
    }

    String subjectId() {
      return event.getSubjectId();
    }
  }

  private Outcome registerSponsor(Context c, SponsorRegistered s) {
    if (c.signer.kind() != PrincipalKind.ADMIN) {
      return reject(
          SIGNER_NOT_AUTHORIZED, "only an admin registers sponsors, not " + c.signer.id());
    }
    String id = c.subjectId();
    if (state.principal(id).isPresent()) {
      return reject(ALREADY_REGISTERED, id + " is already registered");
    }
    PrincipalState sponsor =
        fresh(id, PrincipalKind.SPONSOR, s.getPublicKey(), c.t)
            .setName(s.getName())
            .setContact(s.getContact())
            .build();
    return accept(c.facts(PrincipalStatus.ACTIVE).build(), List.of(sponsor), List.of());
  }

  private Outcome registerAgent(Context c, AgentRegistered a) {
    String id = c.subjectId();
    if (state.principal(id).isPresent()) {
      return reject(ALREADY_REGISTERED, id + " is already registered");
    }
    Optional<PrincipalState> sponsor =
        state.principal(a.getSponsorId()).filter(p -> p.getKind() == PrincipalKind.SPONSOR);
    if (sponsor.isEmpty() || sponsor.get().getStatus() != PrincipalStatus.ACTIVE) {
      return reject(
          SPONSOR_NOT_ACTIVE,
          "sponsor "
              + a.getSponsorId()
              + (sponsor.isEmpty() ? " is not registered" : " is " + sponsor.get().getStatus()));
    }
    List<StateChanges.Link> links = new ArrayList<>();
    String parentId = a.getParentAgentId();
    if (parentId == null) {
      if (!c.signer.id().equals(a.getSponsorId())) {
        return reject(
            SIGNER_NOT_AUTHORIZED, "an agent is registered by its sponsor " + a.getSponsorId());
      }
    } else {
      if (!c.signer.id().equals(parentId) && !c.signer.id().equals(a.getSponsorId())) {
        return reject(
            SIGNER_NOT_AUTHORIZED,
            "a sub-agent is registered by its parent agent "
                + parentId
                + " or its sponsor "
                + a.getSponsorId());
      }
      Optional<PrincipalState> parent =
          state.principal(parentId).filter(p -> p.getKind() == PrincipalKind.AGENT);
      if (parent.isEmpty()) {
        return reject(PARENT_NOT_ACTIVE, "parent " + parentId + " is not a registered agent");
      }
      Optional<Rejected> inactive = checkActive("parent", parent.get(), c.t);
      if (inactive.isPresent()) {
        return reject(PARENT_NOT_ACTIVE, inactive.get().detail());
      }
      if (!a.getSponsorId().equals(parent.get().getSponsorId())) {
        return reject(
            INVALID_FIELD,
            "sponsor_id "
                + a.getSponsorId()
                + " differs from the parent's sponsor "
                + parent.get().getSponsorId());
      }
      List<String> missing = Lineage.notHeld(a.getCapabilities(), parent.get(), state::principal);
      if (!missing.isEmpty()) {
        return reject(
            CAPABILITY_NOT_HELD,
            "parent " + parentId + " does not hold " + String.join(", ", missing));
      }
      links.add(new StateChanges.Link(parentId, id));
    }
    Optional<Rejected> lifetime = checkExpiry(a.getExpiresAt(), c.t);
    if (lifetime.isPresent()) {
      return new Reject(lifetime.get(), null);
    }
    links.add(new StateChanges.Link(a.getSponsorId(), id));
    Evidence registered = Evidence.registered(c.t);
    PrincipalState agent =
        fresh(id, PrincipalKind.AGENT, a.getPublicKey(), c.t)
            .setSponsorId(a.getSponsorId())
            .setParentAgentId(parentId)
            .setName(a.getName())
            .setWallet(a.getWallet())
            .setCapabilities(a.getCapabilities())
            .setExpiresAt(a.getExpiresAt())
            .setTrust(registered.toAvro())
            .build();
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(agent);
    signerActivity(c, updates);
    return new Accept(
        c.facts(PrincipalStatus.ACTIVE).setTrustAfter(registered.toAvro()).build(),
        updates,
        links,
        List.of(),
        "",
        null);
  }

  private Outcome report(Context c, BehaviourReported r) {
    String subjectId = c.subjectId();
    Optional<PrincipalState> found =
        state.principal(subjectId).filter(p -> p.getKind() == PrincipalKind.AGENT);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + subjectId);
    }
    PrincipalState subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subjectId + " is revoked");
    }
    if (expired(subject, c.t)) {
      return reject(EXPIRED, "subject " + subjectId + " expired at " + subject.getExpiresAt());
    }
    if (c.signer.id().equals(subjectId)) {
      return reject(SELF_REPORT, "an agent cannot report on itself");
    }
    Optional<Decision> counted =
        state.interaction(c.signer.id(), subjectId, r.getInteractionId(), windowStart(c.t), c.t);
    if (counted.isPresent()) {
      return new Reject(
          Rejected.of(
              DUPLICATE_EVENT,
              "interaction "
                  + r.getInteractionId()
                  + " by "
                  + c.signer.id()
                  + " was already counted at ledger_seq "
                  + counted.get().getEntry().getLedgerSeq()),
          counted.get().getEntry());
    }
    Weights base = weights(c, subject);
    PrincipalState.Builder bounded = PrincipalState.newBuilder(subject);
    Weights weights = base;
    if (c.signer.kind() != PrincipalKind.ADMIN) {
      // No single party sinks or lifts an agent: repeated reports weigh less, a tree adds at most
      // C.
      String tree = tree(c.signer);
      long h = params.trust().evidenceHalfLifeMs();
      ReportBounds.Bounded b =
          ReportBounds.apply(
              base,
              r.getRating(),
              r.getSeverity(),
              c.t,
              c.signer.id(),
              Tallies.find(subject.getReporters(), c.signer.id()),
              tree,
              Tallies.find(subject.getTrees(), tree),
              params.trust());
      weights = b.weights();
      bounded
          .setReporters(Tallies.put(subject.getReporters(), b.reporter(), c.t, h))
          .setTrees(Tallies.put(subject.getTrees(), b.tree(), c.t, h));
    }
    Evidence before = evidence(subject);
    Evidence after =
        TrustModel.apply(
            before, new Report(c.t, r.getRating(), r.getSeverity(), weights), params.trust());
    if (related(c.signer, subject)) {
      // A report with a conflict of interest adds no evidence for the agent and does not count as
      // its activity either: nothing in it raises the agent's trust (docs/spec.md section 6.3).
      after = after.keepingActivityOf(before);
    }
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(bounded.setTrust(after.toAvro()).build());
    signerActivity(c, updates);
    return new Accept(
        c.facts(subject.getStatus())
            .setPositiveWeight(weights.positive())
            .setNegativeWeight(weights.negative())
            .setTrustAfter(after.toAvro())
            .build(),
        updates,
        List.of(),
        List.of(),
        "",
        null);
  }

  /**
   * A reporter with a conflict of interest about {@code subject}: its sponsor, or an agent of the
   * same sponsor (its parents and sub-agents among them).
   */
  private static boolean related(Signer signer, PrincipalState subject) {
    PrincipalState reporter = signer.principal();
    if (reporter == null) {
      return false;
    }
    return reporter.getId().equals(subject.getSponsorId())
        || (reporter.getKind() == PrincipalKind.AGENT
            && subject.getSponsorId() != null
            && subject.getSponsorId().equals(reporter.getSponsorId()));
  }

  /** The sponsor tree a signer belongs to: a sponsor's own id, an agent's sponsor. */
  private static String tree(Signer signer) {
    return signer.kind() == PrincipalKind.AGENT ? signer.principal().getSponsorId() : signer.id();
  }

  /**
   * Reporter weights before the bounds: an admin 1; a reporter related to the subject (its sponsor
   * or a fellow agent of its sponsor) no positive weight; any other its own trust, read before this
   * report counts as its activity.
   */
  private Weights weights(Context c, PrincipalState subject) {
    if (c.signer.kind() == PrincipalKind.ADMIN) {
      return Weights.admin();
    }
    PrincipalState reporter = c.signer.principal();
    if (related(c.signer, subject)) {
      return Weights.related();
    }
    if (reporter.getKind() == PrincipalKind.SPONSOR) {
      return Weights.ofReporterTrust(1.0);
    }
    return Weights.ofReporterTrust(
        TrustModel.evaluate(evidence(reporter), c.t, params.trust()).trust());
  }

  private Outcome setStatus(Context c, PrincipalStatus status) {
    Optional<PrincipalState> found = agentSubject(c);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + c.subjectId());
    }
    PrincipalState subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subject.getId() + " is revoked");
    }
    Optional<Rejected> unauthorized = authorizeOver(c, subject, false);
    if (unauthorized.isPresent()) {
      return new Reject(unauthorized.get(), null);
    }
    Evidence after = evidence(subject);
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(
        PrincipalState.newBuilder(subject).setStatus(status).setTrust(after.toAvro()).build());
    signerActivity(c, updates);
    return new Accept(
        c.facts(status).setTrustAfter(after.toAvro()).build(),
        updates,
        List.of(),
        List.of(),
        "",
        null);
  }

  private Outcome revokeAgent(Context c, AgentRevoked r) {
    Optional<PrincipalState> found = agentSubject(c);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + c.subjectId());
    }
    PrincipalState subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subject.getId() + " is already revoked");
    }
    Optional<Rejected> unauthorized = authorizeOver(c, subject, true);
    if (unauthorized.isPresent()) {
      return new Reject(unauthorized.get(), null);
    }
    Evidence after = evidence(subject);
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(
        PrincipalState.newBuilder(subject)
            .setStatus(PrincipalStatus.REVOKED)
            .setTrust(after.toAvro())
            .build());
    List<String> cascade = r.getCascade() ? descendants(subject) : List.of();
    for (String id : cascade) {
      state.principal(id).ifPresent(p -> updates.add(revoked(p)));
    }
    signerActivity(c, updates);
    return new Accept(
        c.facts(PrincipalStatus.REVOKED).setTrustAfter(after.toAvro()).build(),
        updates,
        List.of(),
        cascade,
        "parent agent " + subject.getId() + " revoked",
        null);
  }

  private Outcome revokeSponsor(Context c) {
    String id = c.subjectId();
    Optional<PrincipalState> found =
        state.principal(id).filter(p -> p.getKind() == PrincipalKind.SPONSOR);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no sponsor " + id);
    }
    PrincipalState sponsor = found.get();
    if (sponsor.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, id + " is already revoked");
    }
    if (c.signer.kind() != PrincipalKind.ADMIN) {
      return reject(SIGNER_NOT_AUTHORIZED, "only an admin revokes sponsors, not " + c.signer.id());
    }
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(PrincipalState.newBuilder(sponsor).setStatus(PrincipalStatus.REVOKED).build());
    List<String> cascade = new ArrayList<>();
    for (String agentId : state.children(id)) {
      Optional<PrincipalState> agent = state.principal(agentId);
      if (agent.isPresent() && agent.get().getStatus() != PrincipalStatus.REVOKED) {
        cascade.add(agentId);
        updates.add(revoked(agent.get()));
      }
    }
    return new Accept(
        c.facts(PrincipalStatus.REVOKED).build(),
        updates,
        List.of(),
        cascade,
        "sponsor " + id + " revoked",
        null);
  }

  private Outcome changeParameters(Context c, LedgerParametersChanged change) {
    if (!c.subjectId().equals(ledgerId)) {
      return reject(UNKNOWN_SUBJECT, "no ledger " + c.subjectId() + "; this ledger is " + ledgerId);
    }
    if (c.signer.kind() != PrincipalKind.ADMIN) {
      return reject(
          SIGNER_NOT_AUTHORIZED,
          "only an admin changes the ledger's parameters, not " + c.signer.id());
    }
    LedgerParameters next = change.getParameters();
    Optional<String> problem = Parameters.problem(next);
    if (problem.isPresent()) {
      return reject(INVALID_FIELD, problem.get());
    }
    if (!next.getLedgerName().equals(params.ledgerName())) {
      return reject(
          INVALID_FIELD,
          "parameters.ledger_name is fixed: "
              + params.ledgerName()
              + ", not "
              + next.getLedgerName());
    }
    if (next.getEntriesPartitions() != params.entriesPartitions()) {
      return reject(
          INVALID_FIELD,
          "parameters.entries_partitions is fixed: "
              + params.entriesPartitions()
              + ", not "
              + next.getEntriesPartitions());
    }
    return new Accept(
        c.facts(PrincipalStatus.ACTIVE).build(), List.of(), List.of(), List.of(), "", next);
  }

  private Outcome rotateKey(Context c, KeyRotated k) {
    String id = c.subjectId();
    byte[] newKey = Buffers.toArray(k.getNewPublicKey());
    PrincipalKind kind = dev.trustledger.id.PrincipalIds.kindOf(id).orElseThrow();
    if (kind == PrincipalKind.LEDGER) {
      if (!id.equals(ledgerId)) {
        return reject(UNKNOWN_SUBJECT, "no ledger " + id + "; this ledger is " + ledgerId);
      }
      if (!c.signer.id().equals(ledgerId)) {
        return reject(SIGNER_NOT_AUTHORIZED, "only the ledger rotates its own key");
      }
      LedgerHead head = state.head().orElseThrow();
      Optional<Rejected> reused =
          reusedKey(newKey, Buffers.toArray(head.getPublicKey()), head.getRetiredKeys());
      if (reused.isPresent()) {
        return new Reject(reused.get(), null);
      }
      return keyRotated(
          c,
          c.facts(PrincipalStatus.ACTIVE).build(),
          List.of(),
          new KeyChange(id, kind, Buffers.toArray(head.getPublicKey()), newKey, null));
    }
    if (kind == PrincipalKind.ADMIN) {
      if (!params.admins().containsKey(id)) {
        return reject(UNKNOWN_SUBJECT, "no admin " + id + " in the parameters in force");
      }
      if (c.signer.kind() != PrincipalKind.ADMIN) {
        return reject(
            SIGNER_NOT_AUTHORIZED, "an admin's key is rotated by an admin, not " + c.signer.id());
      }
      byte[] first = params.admins().get(id).raw();
      byte[] current = first;
      List<RetiredKey> retired = List.of();
      for (dev.trustledger.ledger.avro.AdminKey a : state.head().orElseThrow().getAdminKeys()) {
        if (a.getId().equals(id)) {
          current = Buffers.toArray(a.getPublicKey());
          retired = a.getRetiredKeys();
        }
      }
      Optional<Rejected> reused = reusedKey(newKey, current, retired);
      if (reused.isPresent()) {
        return new Reject(reused.get(), null);
      }
      return keyRotated(
          c,
          c.facts(PrincipalStatus.ACTIVE).build(),
          List.of(),
          new KeyChange(id, kind, current, newKey, first));
    }
    Optional<PrincipalState> found = state.principal(id).filter(p -> p.getKind() == kind);
    if (found.isEmpty()) {
      return reject(
          UNKNOWN_SUBJECT, "no " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id);
    }
    PrincipalState subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, id + " is revoked");
    }
    boolean self = c.signer.id().equals(id);
    boolean forced =
        c.signer.kind() == PrincipalKind.ADMIN
            || (kind == PrincipalKind.AGENT && c.signer.id().equals(subject.getSponsorId()));
    if (!self && !forced) {
      return reject(
          SIGNER_NOT_AUTHORIZED,
          id
              + "'s key is rotated by "
              + (kind == PrincipalKind.AGENT
                  ? "itself, its sponsor or an admin"
                  : "itself or an admin")
              + ", not "
              + c.signer.id());
    }
    byte[] current = Buffers.toArray(subject.getPublicKey());
    Optional<Rejected> reused = reusedKey(newKey, current, subject.getRetiredKeys());
    if (reused.isPresent()) {
      return new Reject(reused.get(), null);
    }
    byte[] first =
        subject.getFirstPublicKey() != null
            ? Buffers.toArray(subject.getFirstPublicKey())
            : current;
    PrincipalState rotated =
        PrincipalState.newBuilder(subject)
            .setPublicKey(k.getNewPublicKey())
            .setFirstPublicKey(java.nio.ByteBuffer.wrap(first))
            .setRetiredKeys(retire(current, subject.getRetiredKeys()))
            .build();
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(rotated);
    signerActivity(c, updates);
    EntryFacts.Builder facts = c.facts(subject.getStatus());
    if (kind == PrincipalKind.AGENT) {
      facts.setTrustAfter(evidence(updates.get(0)).toAvro());
    }
    return keyRotated(c, facts.build(), updates, new KeyChange(id, kind, current, newKey, first));
  }

  private static Accept keyRotated(
      Context c, EntryFacts facts, List<PrincipalState> updates, KeyChange change) {
    return new Accept(facts, updates, List.of(), List.of(), "", null, change);
  }

  /** A new key must be new: not the key in use, nor one retired before. */
  private static Optional<Rejected> reusedKey(
      byte[] newKey, byte[] current, List<RetiredKey> retired) {
    if (Arrays.equals(newKey, current)) {
      return Optional.of(Rejected.of(INVALID_FIELD, "new_public_key is the key in use"));
    }
    for (RetiredKey r : retired) {
      if (Arrays.equals(newKey, Buffers.toArray(r.getPublicKey()))) {
        return Optional.of(
            Rejected.of(
                INVALID_FIELD,
                "new_public_key was retired at ledger_seq "
                    + r.getRetiredAt()
                    + "; a key never comes back"));
      }
    }
    return Optional.empty();
  }

  /** {@code retired} with {@code key} retired at this entry in front, at most 16 kept. */
  List<RetiredKey> retire(byte[] key, List<RetiredKey> retired) {
    List<RetiredKey> out = new ArrayList<>();
    out.add(
        RetiredKey.newBuilder()
            .setPublicKey(java.nio.ByteBuffer.wrap(key))
            .setRetiredAt(position)
            .build());
    out.addAll(retired.subList(0, Math.min(retired.size(), RETIRED_KEYS_KEPT - 1)));
    return out;
  }

  private Outcome renew(Context c, AgentRenewed r) {
    Optional<PrincipalState> found = agentSubject(c);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + c.subjectId());
    }
    PrincipalState subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subject.getId() + " is revoked");
    }
    if (c.signer.kind() != PrincipalKind.ADMIN && !c.signer.id().equals(subject.getSponsorId())) {
      return reject(
          SIGNER_NOT_AUTHORIZED,
          "an agent is renewed by its sponsor "
              + subject.getSponsorId()
              + " or an admin, not "
              + c.signer.id());
    }
    Optional<Rejected> expiry = checkExpiry(r.getExpiresAt(), c.t);
    if (expiry.isPresent()) {
      return new Reject(expiry.get(), null);
    }
    PrincipalState renewed =
        PrincipalState.newBuilder(subject).setExpiresAt(r.getExpiresAt()).build();
    return new Accept(
        c.facts(subject.getStatus()).setTrustAfter(evidence(subject).toAvro()).build(),
        List.of(renewed),
        List.of(),
        List.of(),
        "",
        null);
  }

  private Outcome changeCapabilities(Context c, AgentCapabilitiesChanged change) {
    Optional<PrincipalState> found = agentSubject(c);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no agent " + c.subjectId());
    }
    PrincipalState subject = found.get();
    if (subject.getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, subject.getId() + " is revoked");
    }
    Optional<Rejected> unauthorized = authorizeOver(c, subject, false);
    if (unauthorized.isPresent()) {
      return new Reject(unauthorized.get(), null);
    }
    if (subject.getParentAgentId() != null) {
      Optional<PrincipalState> parent = state.principal(subject.getParentAgentId());
      if (parent.isPresent()) {
        List<String> missing =
            Lineage.notHeld(change.getCapabilities(), parent.get(), state::principal);
        if (!missing.isEmpty()) {
          return reject(
              CAPABILITY_NOT_HELD,
              "parent " + parent.get().getId() + " does not hold " + String.join(", ", missing));
        }
      }
    }
    PrincipalState changed =
        PrincipalState.newBuilder(subject).setCapabilities(change.getCapabilities()).build();
    List<PrincipalState> updates = new ArrayList<>();
    updates.add(changed);
    signerActivity(c, updates);
    return new Accept(
        c.facts(subject.getStatus()).setTrustAfter(evidence(updates.get(0)).toAvro()).build(),
        updates,
        List.of(),
        List.of(),
        "",
        null);
  }

  private Outcome setSponsorStatus(Context c, PrincipalStatus status) {
    String id = c.subjectId();
    Optional<PrincipalState> found =
        state.principal(id).filter(p -> p.getKind() == PrincipalKind.SPONSOR);
    if (found.isEmpty()) {
      return reject(UNKNOWN_SUBJECT, "no sponsor " + id);
    }
    if (found.get().getStatus() == PrincipalStatus.REVOKED) {
      return reject(SUBJECT_REVOKED, id + " is revoked");
    }
    if (c.signer.kind() != PrincipalKind.ADMIN) {
      return reject(
          SIGNER_NOT_AUTHORIZED,
          "only an admin suspends or reinstates sponsors, not " + c.signer.id());
    }
    return accept(
        c.facts(status).build(),
        List.of(PrincipalState.newBuilder(found.get()).setStatus(status).build()),
        List.of());
  }

  private static PrincipalState revoked(PrincipalState p) {
    return PrincipalState.newBuilder(p).setStatus(PrincipalStatus.REVOKED).build();
  }

  private Optional<PrincipalState> agentSubject(Context c) {
    return state.principal(c.subjectId()).filter(p -> p.getKind() == PrincipalKind.AGENT);
  }

  /**
   * Suspend, reinstate and revoke may be signed by the agent's sponsor, any agent above it in its
   * parent chain, an admin, and (revoke only) the agent itself.
   */
  private Optional<Rejected> authorizeOver(Context c, PrincipalState subject, boolean allowSelf) {
    String signerId = c.signer.id();
    if (c.signer.kind() == PrincipalKind.ADMIN
        || signerId.equals(subject.getSponsorId())
        || (allowSelf && signerId.equals(subject.getId()))) {
      return Optional.empty();
    }
    String ancestor = subject.getParentAgentId();
    while (ancestor != null) {
      if (ancestor.equals(signerId)) {
        return Optional.empty();
      }
      ancestor = state.principal(ancestor).map(PrincipalState::getParentAgentId).orElse(null);
    }
    return Optional.of(
        Rejected.of(
            SIGNER_NOT_AUTHORIZED,
            signerId
                + " is neither an admin, the sponsor, a parent agent"
                + (allowSelf ? " nor the agent itself" : "")
                + " of "
                + subject.getId()));
  }

  /** Every not yet revoked agent below {@code agent}, parents before their children. */
  private List<String> descendants(PrincipalState agent) {
    List<String> out = new ArrayList<>();
    Deque<String> queue = new ArrayDeque<>(state.children(agent.getId()));
    while (!queue.isEmpty()) {
      String id = queue.removeFirst();
      Optional<PrincipalState> child = state.principal(id);
      if (child.isEmpty()) {
        continue;
      }
      if (child.get().getStatus() != PrincipalStatus.REVOKED) {
        out.add(id);
      }
      queue.addAll(state.children(id));
    }
    return out;
  }

  /**
   * A signer that is not effectively active (its own status, or a suspended parent or sponsor), or
   * an agent past its expiry, cannot act.
   */
  private Optional<Rejected> checkActive(String role, PrincipalState p, long t) {
    Lineage.Effective effective = Lineage.status(p, state::principal);
    if (!effective.active()) {
      return Optional.of(
          Rejected.of(
              SIGNER_NOT_ACTIVE,
              role
                  + " "
                  + p.getId()
                  + " is "
                  + effective.status()
                  + (effective.cause() == null ? "" : " through " + effective.cause())));
    }
    if (expired(p, t)) {
      return Optional.of(
          Rejected.of(EXPIRED, role + " " + p.getId() + " expired at " + p.getExpiresAt()));
    }
    return Optional.empty();
  }

  /**
   * An expiry given at ledger time {@code t} (a registration's or a renewal's): after {@code t}
   * ({@code EXPIRED}) and, under a lifetime cap, given and within it ({@code INVALID_FIELD}).
   */
  private Optional<Rejected> checkExpiry(Long expiresAt, long t) {
    if (expiresAt != null && expiresAt <= t) {
      return Optional.of(
          Rejected.of(EXPIRED, "expires_at " + expiresAt + " is not after ledger time " + t));
    }
    Long cap = params.agentMaxLifetimeMs();
    if (cap != null && expiresAt == null) {
      return Optional.of(
          Rejected.of(
              INVALID_FIELD,
              "expires_at is required: agents are valid for at most " + cap + " ms at a time"));
    }
    if (cap != null && expiresAt - t > cap) {
      return Optional.of(
          Rejected.of(
              INVALID_FIELD,
              "expires_at "
                  + expiresAt
                  + " is "
                  + (expiresAt - t)
                  + " ms after ledger time "
                  + t
                  + ", beyond the agent lifetime cap of "
                  + cap
                  + " ms"));
    }
    return Optional.empty();
  }

  static boolean expired(PrincipalState p, long t) {
    return p.getExpiresAt() != null && p.getExpiresAt() <= t;
  }

  /** An agent that signs an accepted event is active at its ledger time. */
  private void signerActivity(Context c, List<PrincipalState> updates) {
    if (c.signer.kind() != PrincipalKind.AGENT) {
      return;
    }
    for (int i = 0; i < updates.size(); i++) {
      PrincipalState p = updates.get(i);
      if (p.getId().equals(c.signer.id())) {
        updates.set(i, withActivity(p, c.t));
        return;
      }
    }
    updates.add(withActivity(c.signer.principal(), c.t));
  }

  private static PrincipalState withActivity(PrincipalState p, long t) {
    return PrincipalState.newBuilder(p).setTrust(evidence(p).withActivity(t).toAvro()).build();
  }

  private static Accept accept(
      EntryFacts facts, List<PrincipalState> updates, List<StateChanges.Link> links) {
    return new Accept(facts, updates, links, List.of(), "", null);
  }

  private static Reject reject(RejectionReason reason, String detail) {
    return new Reject(Rejected.of(reason, detail), null);
  }
}
