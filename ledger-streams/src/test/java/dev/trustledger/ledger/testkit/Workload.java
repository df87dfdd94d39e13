package dev.trustledger.ledger.testkit;

import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic population of sponsors and agents and a stream of events about them, valid and
 * invalid, for integration tests and the load generator. Events are produced in phases (sponsors,
 * agents, activity), because events in different partitions reach the ledger in any order.
 */
public final class Workload {
  /** One input: its record key and either an event or raw bytes. */
  public record Input(String key, SignedEvent event, byte[] raw) {}

  private final Random random;
  private final long issuedAt;
  private final Ed25519PrivateKey admin;
  private final List<Ed25519PrivateKey> sponsors = new ArrayList<>();
  private final List<Ed25519PrivateKey> agents = new ArrayList<>();
  private final List<Integer> sponsorOfAgent = new ArrayList<>();
  private int counter;

  public Workload(long seed, long issuedAt, Ed25519PrivateKey admin) {
    this.random = new Random(seed);
    this.issuedAt = issuedAt;
    this.admin = admin;
  }

  private Ed25519PrivateKey newKey() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  public List<Ed25519PrivateKey> agents() {
    return List.copyOf(agents);
  }

  public List<Input> sponsors(int n) {
    List<Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Ed25519PrivateKey key = newKey();
      sponsors.add(key);
      SignedEvent e =
          Events.registerSponsor(key.publicKey(), "sponsor-" + sponsors.size(), "ops@example.org")
              .eventId("spn-" + counter++)
              .issuedAt(issuedAt)
              .sign(Signer.admin(admin), key);
      out.add(new Input(e.getSubjectId(), e, null));
    }
    return out;
  }

  /** {@code perSponsor} agents for every sponsor registered so far. */
  public List<Input> agents(int perSponsor) {
    List<Input> out = new ArrayList<>();
    for (int s = 0; s < sponsors.size(); s++) {
      Ed25519PrivateKey sponsor = sponsors.get(s);
      for (int i = 0; i < perSponsor; i++) {
        Ed25519PrivateKey key = newKey();
        agents.add(key);
        sponsorOfAgent.add(s);
        SignedEvent e =
            Events.registerAgent(key.publicKey(), Signer.sponsor(sponsor).id())
                .name("agent-" + agents.size())
                .draft()
                .eventId("agt-" + counter++)
                .issuedAt(issuedAt)
                .sign(Signer.sponsor(sponsor), key);
        out.add(new Input(e.getSubjectId(), e, null));
      }
    }
    return out;
  }

  /** A valid report by a random agent about another random agent. */
  public Input report() {
    int reporter = random.nextInt(agents.size());
    int subject = random.nextInt(agents.size() - 1);
    if (subject >= reporter) {
      subject++;
    }
    String subjectId = Signer.agent(agents.get(subject)).id();
    SignedEvent e =
        Events.report(
                subjectId,
                "ix-" + counter,
                random.nextInt(101),
                Severity.values()[random.nextInt(4)],
                "quality")
            .eventId("rep-" + counter++)
            .issuedAt(issuedAt)
            .sign(Signer.agent(agents.get(reporter)));
    return new Input(subjectId, e, null);
  }

  /** A mix of reports and invalid inputs: {@code invalidEvery}-th input is invalid. */
  public List<Input> activity(int n, int invalidEvery) {
    List<Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (invalidEvery > 0 && i % invalidEvery == invalidEvery - 1) {
        out.add(invalid(i / invalidEvery));
      } else {
        out.add(report());
      }
    }
    return out;
  }

  private Input invalid(int which) {
    switch (which % 5) {
      case 0:
        return new Input("garbage-" + counter++, null, ("garbage " + which).getBytes());
      case 1:
        {
          Input r = report();
          SignedEvent forged =
              SignedEvent.newBuilder(r.event()).setSignature(ByteBuffer.wrap(new byte[64])).build();
          return new Input(r.key(), forged, null);
        }
      case 2:
        {
          Ed25519PrivateKey stranger = newKey();
          String subjectId = Signer.agent(agents.get(random.nextInt(agents.size()))).id();
          SignedEvent e =
              Events.report(subjectId, "x-" + counter, 50, Severity.LOW, "q")
                  .eventId("unk-" + counter++)
                  .issuedAt(issuedAt)
                  .sign(Signer.agent(stranger));
          return new Input(subjectId, e, null);
        }
      case 3:
        {
          Ed25519PrivateKey agent = agents.get(random.nextInt(agents.size()));
          String id = Signer.agent(agent).id();
          SignedEvent e =
              Events.report(id, "self-" + counter, 100, Severity.LOW, "q")
                  .eventId("self-" + counter++)
                  .issuedAt(issuedAt)
                  .sign(Signer.agent(agent));
          return new Input(id, e, null);
        }
      default:
        {
          Input r = report();
          SignedEvent e =
              Events.report(r.event().getSubjectId(), "stale-" + counter, 10, Severity.HIGH, "q")
                  .eventId("stale-" + counter++)
                  .issuedAt(issuedAt - 3 * 86_400_000L)
                  .sign(Signer.agent(agents.get(random.nextInt(agents.size()))));
          return new Input(r.key(), e, null);
        }
    }
  }
}
