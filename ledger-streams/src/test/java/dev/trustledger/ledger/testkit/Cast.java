package dev.trustledger.ledger.testkit;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnsignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.EventSigning;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.testutil.Fixtures;
import java.util.List;

/**
 * Principals for ledger tests, by name: {@code sponsor("acme")}, {@code agent("bot")}. Keys are
 * deterministic, so names are ids. Registration helpers build correctly signed events.
 */
public final class Cast {
  private Cast() {}

  public static Ed25519PrivateKey key(String name) {
    return Fixtures.key(name);
  }

  public static String sponsorId(String name) {
    return Signer.sponsor(key(name)).id();
  }

  public static String agentId(String name) {
    return Signer.agent(key(name)).id();
  }

  public static SignedEvent registerSponsor(String name, long issuedAt) {
    return Events.registerSponsor(key(name).publicKey(), name, name + "@example.org")
        .eventId("reg-" + name)
        .issuedAt(issuedAt)
        .sign(Signer.admin(LedgerDriver.ADMIN), key(name));
  }

  public static SignedEvent registerAgent(String name, String sponsor, long issuedAt) {
    return Events.registerAgent(key(name).publicKey(), sponsorId(sponsor))
        .name(name)
        .capabilities(List.of("test"))
        .draft()
        .eventId("reg-" + name)
        .issuedAt(issuedAt)
        .sign(Signer.sponsor(key(sponsor)), key(name));
  }

  public static SignedEvent registerSubAgent(
      String name, String parent, String sponsor, long issuedAt) {
    return Events.registerAgent(key(name).publicKey(), sponsorId(sponsor))
        .name(name)
        .parent(agentId(parent))
        .draft()
        .eventId("reg-" + name)
        .issuedAt(issuedAt)
        .sign(Signer.agent(key(parent)), key(name));
  }

  /** Signs an arbitrary envelope, for events the builders refuse to make. */
  public static SignedEvent sign(
      UnsignedEvent unsigned, Ed25519PrivateKey signer, Ed25519PrivateKey pop) {
    return EventSigning.sign(unsigned, signer, pop);
  }
}
