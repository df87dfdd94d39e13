package dev.trustledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON bodies of the API (snake_case through the mapper's naming strategy). */
public final class Views {
  private Views() {}

  public record HumanSponsor(String sponsorId, String name, String contact, String status) {}

  public record Reports(int positive, int negative) {}

  public record Chain(long seq, String head) {}

  /**
   * An agent as a gateway needs it. {@code status} is its effective status: its own ({@code
   * own_status}) unless a parent agent or its sponsor is suspended ({@code status_cause} names it);
   * {@code effective_capabilities} are its own narrowed by every parent above it.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Agent(
      String agentId,
      String name,
      String status,
      String ownStatus,
      String statusCause,
      boolean expired,
      Long expiresInMs,
      int trustScore,
      double trust,
      double effectiveTrust,
      int effectiveTrustScore,
      double confidence,
      HumanSponsor humanSponsor,
      String publicKey,
      String parentAgentId,
      List<String> capabilities,
      List<String> effectiveCapabilities,
      String wallet,
      long createdAt,
      long lastActivityAt,
      Long expiresAt,
      Reports reports,
      Chain chain,
      long asOf) {}

  public record Sponsor(
      String sponsorId,
      String name,
      String contact,
      String status,
      String publicKey,
      long createdAt,
      Chain chain) {}

  public record AgentPage(String sponsorId, List<String> agents, String next) {}

  /**
   * A gateway's answer. {@code status_cause} names the suspended ancestor when the agent is
   * suspended through it; {@code missing_capabilities} lists the required capabilities it lacks.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record VerifyResult(
      boolean verified,
      boolean trusted,
      String status,
      Integer trustScore,
      String reason,
      String statusCause,
      List<String> missingCapabilities) {
    public VerifyResult(
        boolean verified, boolean trusted, String status, Integer trustScore, String reason) {
      this(verified, trusted, status, trustScore, reason, null, List.of());
    }
  }

  /**
   * An event taken for publishing: {@code signature} is the ledger's over a RECEIVED outcome of
   * {@code event_hash} at {@code received_at}.
   */
  public record Accepted(
      String eventId,
      String subjectId,
      String statusUrl,
      String eventHash,
      String ledgerId,
      long receivedAt,
      String signature) {}

  /** Where an entry stands. */
  public record EntryRefView(String subjectId, long seq, String entryHash, long ledgerSeq) {}

  /** One decision about one event. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Decided(
      String eventHash,
      String status,
      Long seq,
      String entryHash,
      Long ledgerSeq,
      String reason,
      String detail,
      EntryRefView duplicateOf,
      Long ledgerTime,
      String signature) {}

  /**
   * What the ledger decided about an event: the one named by {@code event_hash}, or else the one
   * that holds the id; {@code others} are the other events sent under the same id.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventStatus(
      String subjectId,
      String eventId,
      String status,
      String eventHash,
      Long seq,
      String entryHash,
      Long ledgerSeq,
      String reason,
      String detail,
      EntryRefView duplicateOf,
      Long ledgerTime,
      String ledgerId,
      String signature,
      List<Decided> others) {}

  public record CheckpointView(
      int tree, String origin, long size, String rootHash, long createdAt, String note) {}

  public record Health(String status) {}

  /**
   * A node's readiness: its role, the ledger_seq its reads reflect, the node that holds the
   * sequencer (null while it moves or restores), and what it waits for when not ready.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Ready(
      String status, String role, long ledgerSeq, String sequencer, String waitingFor) {}

  /** What a node says of itself. */
  public record NodeInfo(String role, String sequencer, String waitingFor) {}

  /**
   * The ledger at a glance: sponsors and agents by their own status, and how many entries it has.
   */
  public record Overview(
      java.util.Map<String, Long> agents,
      java.util.Map<String, Long> sponsors,
      long entries,
      long asOf) {}
}
