package dev.trustledger.api;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.lineage.Lineage;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import dev.trustledger.trust.TrustView;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the agent view from what the ledger stores, computing trust at the query time with the
 * trust parameters in force in the log.
 */
final class AgentViews {
  private final LedgerReader reader;
  private volatile LedgerHead lastHead;
  private volatile TrustParams lastParams = TrustParams.DEFAULTS;

  AgentViews(LedgerReader reader) {
    this.reader = reader;
  }

  /** The trust parameters in force (the defaults before the genesis, when no agent exists). */
  TrustParams params() {
    Optional<LedgerHead> head = reader.head();
    if (head.isEmpty()) {
      return TrustParams.DEFAULTS;
    }
    if (lastHead == null
        || !lastHead.getParameters().getTrust().equals(head.get().getParameters().getTrust())) {
      lastParams = TrustParams.of(head.get().getParameters().getTrust());
      lastHead = head.get();
    }
    return lastParams;
  }

  Optional<Views.Agent> agent(String id, long now) {
    Optional<PrincipalState> found =
        reader.principal(id).filter(p -> p.getKind() == PrincipalKind.AGENT);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    TrustParams params = params();
    PrincipalState agent = found.get();
    Evidence evidence = evidence(agent);
    TrustView own = trust(agent, evidence, now, params);
    double effective = effectiveTrust(agent, own.trust(), now, params);
    PrincipalState sponsor = reader.principal(agent.getSponsorId()).orElse(null);
    Lineage.Effective status = Lineage.status(agent, reader::principal);
    return Optional.of(
        new Views.Agent(
            id,
            agent.getName(),
            status(status.status()),
            status(agent.getStatus()),
            status.cause(),
            expired(agent, now),
            agent.getExpiresAt() == null ? null : Math.max(0, agent.getExpiresAt() - now),
            own.score(),
            own.trust(),
            effective,
            TrustView.score(effective),
            own.confidence(),
            sponsor == null
                ? null
                : new Views.HumanSponsor(
                    sponsor.getId(),
                    sponsor.getName(),
                    sponsor.getContact(),
                    status(sponsor.getStatus())),
            Base64Url.encode(Buffers.toArray(agent.getPublicKey())),
            agent.getParentAgentId(),
            agent.getCapabilities(),
            Lineage.capabilities(agent, reader::principal),
            agent.getWallet(),
            agent.getCreatedAt(),
            evidence.activityTime(),
            agent.getExpiresAt(),
            new Views.Reports(evidence.positiveReports(), evidence.negativeReports()),
            chain(agent),
            now));
  }

  static String status(PrincipalStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }

  static boolean expired(PrincipalState p, long now) {
    return p.getExpiresAt() != null && p.getExpiresAt() <= now;
  }

  /** The head of a principal's chain. */
  static Views.Chain chain(PrincipalState p) {
    return p.getChainSeq() < 0
        ? null
        : new Views.Chain(p.getChainSeq(), Hex.encode(Buffers.toArray(p.getChainHead())));
  }

  private static Evidence evidence(PrincipalState agent) {
    return agent.getTrust() != null
        ? Evidence.of(agent.getTrust())
        : Evidence.registered(agent.getCreatedAt());
  }

  /** Trust of one agent: zero when revoked, the model's value otherwise. */
  private static TrustView trust(
      PrincipalState agent, Evidence evidence, long now, TrustParams params) {
    TrustView view = TrustModel.evaluate(evidence, now, params);
    return agent.getStatus() == PrincipalStatus.REVOKED
        ? TrustView.revoked(view.confidence(), view.positive(), view.negative())
        : view;
  }

  /** min(own trust, parent's effective trust), up the parent chain. */
  private double effectiveTrust(PrincipalState agent, double own, long now, TrustParams params) {
    double effective = own;
    Set<String> seen = new HashSet<>();
    String parentId = agent.getParentAgentId();
    while (parentId != null && seen.add(parentId)) {
      Optional<PrincipalState> parent = reader.principal(parentId);
      if (parent.isEmpty()) {
        break;
      }
      effective =
          Math.min(effective, trust(parent.get(), evidence(parent.get()), now, params).trust());
      parentId = parent.get().getParentAgentId();
    }
    return effective;
  }
}
