package dev.trustledger.api;

import dev.trustledger.avro.ChainHead;
import dev.trustledger.avro.Principal;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import dev.trustledger.trust.TrustView;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Builds the agent view from what the ledger stores, computing trust at the query time. */
final class AgentViews {
  private final LedgerReader reader;
  private final TrustParams params;

  AgentViews(LedgerReader reader, TrustParams params) {
    this.reader = reader;
    this.params = params;
  }

  Optional<Views.Agent> agent(String id, long now) {
    Optional<Principal> found =
        reader.principal(id).filter(p -> p.getKind() == PrincipalKind.AGENT);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Principal agent = found.get();
    Evidence evidence = evidence(agent);
    TrustView own = trust(agent, evidence, now);
    double effective = effectiveTrust(agent, own.trust(), now);
    Principal sponsor = reader.principal(agent.getSponsorId()).orElse(null);
    Optional<ChainHead> head = reader.head(id);
    return Optional.of(
        new Views.Agent(
            id,
            status(agent.getStatus()),
            expired(agent, now),
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
            agent.getWallet(),
            agent.getCreatedAt(),
            evidence.activityTime(),
            agent.getExpiresAt(),
            new Views.Reports(evidence.positiveReports(), evidence.negativeReports()),
            head.map(
                    h -> new Views.Chain(h.getSeq(), Hex.encode(Buffers.toArray(h.getEntryHash()))))
                .orElse(null),
            now));
  }

  static String status(PrincipalStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }

  static boolean expired(Principal p, long now) {
    return p.getExpiresAt() != null && p.getExpiresAt() <= now;
  }

  private Evidence evidence(Principal agent) {
    return reader.evidence(agent.getId()).orElse(Evidence.registered(agent.getCreatedAt()));
  }

  /** Trust of one agent: zero when revoked, the model's value otherwise. */
  private TrustView trust(Principal agent, Evidence evidence, long now) {
    TrustView view = TrustModel.evaluate(evidence, now, params);
    return agent.getStatus() == PrincipalStatus.REVOKED
        ? TrustView.revoked(view.confidence(), view.positive(), view.negative())
        : view;
  }

  /** min(own trust, parent's effective trust), up the parent chain. */
  private double effectiveTrust(Principal agent, double own, long now) {
    double effective = own;
    Set<String> seen = new HashSet<>();
    String parentId = agent.getParentAgentId();
    while (parentId != null && seen.add(parentId)) {
      Optional<Principal> parent = reader.principal(parentId);
      if (parent.isEmpty()) {
        break;
      }
      effective = Math.min(effective, trust(parent.get(), evidence(parent.get()), now).trust());
      parentId = parent.get().getParentAgentId();
    }
    return effective;
  }
}
