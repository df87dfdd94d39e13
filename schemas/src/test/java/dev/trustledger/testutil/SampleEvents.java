package dev.trustledger.testutil;

import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.id.PrincipalIds;
import java.util.List;

/** A small, deterministic cast of principals and events shared by tests. */
public final class SampleEvents {
  public static final long T0 = 1_767_225_600_000L;

  public static final Ed25519PrivateKey ADMIN = Fixtures.key("admin");
  public static final Ed25519PrivateKey SPONSOR = Fixtures.key("sponsor");
  public static final Ed25519PrivateKey AGENT = Fixtures.key("agent");
  public static final Ed25519PrivateKey REPORTER = Fixtures.key("reporter");

  private SampleEvents() {}

  public static String sponsorId() {
    return Signer.sponsor(SPONSOR).id();
  }

  public static String agentId() {
    return Signer.agent(AGENT).id();
  }

  public static SignedEvent sponsorRegistration() {
    return Events.registerSponsor(SPONSOR.publicKey(), "Example Org", "ops@example.org")
        .eventId("reg-sponsor")
        .issuedAt(T0)
        .sign(Signer.admin(ADMIN), SPONSOR);
  }

  public static SignedEvent agentRegistration() {
    return Events.registerAgent(AGENT.publicKey(), sponsorId())
        .name("invoice-bot")
        .capabilities(List.of("invoices:read", "payments:propose"))
        .wallet("0xabc")
        .draft()
        .eventId("reg-agent")
        .issuedAt(T0 + 1)
        .sign(Signer.sponsor(SPONSOR), AGENT);
  }

  public static SignedEvent report() {
    return Events.report(agentId(), "call-1", 90, Severity.LOW, "latency")
        .eventId("rep-1")
        .issuedAt(T0 + 2)
        .sign(Signer.agent(REPORTER));
  }

  /** A well-formed id that no key in this cast derives. */
  public static String unknownAgentId() {
    return PrincipalIds.of(
        dev.trustledger.avro.PrincipalKind.AGENT, Fixtures.key("nobody").publicKey().raw());
  }
}
