package dev.trustledger.ledger.lineage;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.ledger.avro.PrincipalState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An agent's effective status and capabilities (docs/spec.md section 6.6):
 *
 * <ul>
 *   <li>status: its own when that is not active; else suspended when one of its parent agents
 *       (nearest first) or its sponsor is suspended, naming that ancestor; else active. A revoked
 *       ancestor's revocation reaches its sub-agents as entries (a cascade), not here.
 *   <li>capabilities: its own that its parent's effective capabilities also hold, so a parent's
 *       loss of a capability narrows every agent below it.
 * </ul>
 */
public final class Lineage {
  private Lineage() {}

  /**
   * A status as it applies.
   *
   * @param status the effective status
   * @param cause the suspended ancestor that makes an active principal suspended, or null
   */
  public record Effective(PrincipalStatus status, String cause) {
    public boolean active() {
      return status == PrincipalStatus.ACTIVE;
    }
  }

  /** The effective status of {@code p} (a sponsor's is its own). */
  public static Effective status(
      PrincipalState p, Function<String, Optional<PrincipalState>> lookup) {
    if (p.getStatus() != PrincipalStatus.ACTIVE || p.getKind() != PrincipalKind.AGENT) {
      return new Effective(p.getStatus(), null);
    }
    Set<String> seen = new HashSet<>();
    String parentId = p.getParentAgentId();
    while (parentId != null && seen.add(parentId)) {
      Optional<PrincipalState> parent = lookup.apply(parentId);
      if (parent.isEmpty()) {
        break;
      }
      if (parent.get().getStatus() == PrincipalStatus.SUSPENDED) {
        return new Effective(PrincipalStatus.SUSPENDED, parentId);
      }
      parentId = parent.get().getParentAgentId();
    }
    if (p.getSponsorId() != null) {
      Optional<PrincipalState> sponsor = lookup.apply(p.getSponsorId());
      if (sponsor.isPresent() && sponsor.get().getStatus() == PrincipalStatus.SUSPENDED) {
        return new Effective(PrincipalStatus.SUSPENDED, p.getSponsorId());
      }
    }
    return new Effective(PrincipalStatus.ACTIVE, null);
  }

  /** The capabilities {@code agent} may use: its own, narrowed by every parent above it. */
  public static List<String> capabilities(
      PrincipalState agent, Function<String, Optional<PrincipalState>> lookup) {
    Set<String> effective = new LinkedHashSet<>(agent.getCapabilities());
    Set<String> seen = new HashSet<>();
    String parentId = agent.getParentAgentId();
    while (parentId != null && seen.add(parentId) && !effective.isEmpty()) {
      Optional<PrincipalState> parent = lookup.apply(parentId);
      if (parent.isEmpty()) {
        break;
      }
      effective.retainAll(parent.get().getCapabilities());
      parentId = parent.get().getParentAgentId();
    }
    return List.copyOf(effective);
  }

  /** The capabilities of {@code wanted} that {@code holder}'s effective capabilities lack. */
  public static List<String> notHeld(
      List<String> wanted,
      PrincipalState holder,
      Function<String, Optional<PrincipalState>> lookup) {
    Set<String> held = new HashSet<>(capabilities(holder, lookup));
    List<String> missing = new ArrayList<>();
    for (String c : new LinkedHashSet<>(wanted)) {
      if (!held.contains(c)) {
        missing.add(c);
      }
    }
    return missing;
  }
}
