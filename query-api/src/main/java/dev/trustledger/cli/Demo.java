package dev.trustledger.cli;

import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.node.LedgerNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A small living ledger for newcomers: a sponsor, agents, a sub-agent, reports, a revocation. */
final class Demo {
  private Demo() {}

  /**
   * Publishes the demo once and prints its ids.
   *
   * @return the demo's ids by the variable names of the README's walkthrough
   */
  static java.util.Map<String, String> run(
      LedgerNode node, Ed25519PrivateKey admin, Path keys, PrintWriter out) throws Exception {
    Ed25519PrivateKey acme =
        DevCommand.keyPair(keys.resolve("acme-sponsor.key"), KeyKind.SPONSOR, out);
    Ed25519PrivateKey invoices =
        DevCommand.keyPair(keys.resolve("invoice-agent.key"), KeyKind.AGENT, out);
    Ed25519PrivateKey helper =
        DevCommand.keyPair(keys.resolve("invoice-helper.key"), KeyKind.AGENT, out);
    Ed25519PrivateKey courier =
        DevCommand.keyPair(keys.resolve("courier-agent.key"), KeyKind.AGENT, out);
    Ed25519PrivateKey globex =
        DevCommand.keyPair(keys.resolve("globex-sponsor.key"), KeyKind.SPONSOR, out);
    Ed25519PrivateKey auditor =
        DevCommand.keyPair(keys.resolve("auditor-agent.key"), KeyKind.AGENT, out);
    String acmeId = Signer.sponsor(acme).id();
    String globexId = Signer.sponsor(globex).id();
    String invoicesId = Signer.agent(invoices).id();
    String helperId = Signer.agent(helper).id();
    String courierId = Signer.agent(courier).id();
    java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
    ids.put("AGENT", invoicesId);
    ids.put("HELPER", helperId);
    ids.put("COURIER", courierId);
    ids.put("AUDITOR", Signer.agent(auditor).id());
    ids.put("ACME_CORP", acmeId);
    ids.put("GLOBEX", globexId);
    if (alreadyPublished(node, courierId)) {
      list(
          node,
          keys,
          out,
          "Demo already published",
          acmeId,
          invoicesId,
          helperId,
          courierId,
          globexId);
      return ids;
    }

    List<SignedEvent> events =
        List.of(
            Events.registerSponsor(acme.publicKey(), "Acme Corp", "security@acme.example")
                .eventId("demo-acme")
                .sign(Signer.admin(admin), acme),
            Events.registerSponsor(globex.publicKey(), "Globex", "trust@globex.example")
                .eventId("demo-globex")
                .sign(Signer.admin(admin), globex));
    publish(node, events);
    publish(
        node,
        List.of(
            Events.registerAgent(invoices.publicKey(), acmeId)
                .name("invoice-agent")
                .capabilities(List.of("invoices:read", "payments:propose"))
                .draft()
                .eventId("demo-inv")
                .sign(Signer.sponsor(acme), invoices),
            Events.registerAgent(courier.publicKey(), acmeId)
                .name("courier-agent")
                .capabilities(List.of("shipments:book"))
                .draft()
                .eventId("demo-courier")
                .sign(Signer.sponsor(acme), courier),
            Events.registerAgent(auditor.publicKey(), globexId)
                .name("auditor-agent")
                .capabilities(List.of("reports:write"))
                .draft()
                .eventId("demo-auditor")
                .sign(Signer.sponsor(globex), auditor)));
    publish(
        node,
        List.of(
            Events.registerAgent(helper.publicKey(), acmeId)
                .name("invoice-helper")
                .parent(invoicesId)
                .capabilities(List.of("invoices:read"))
                .draft()
                .eventId("demo-helper")
                .sign(Signer.agent(invoices), helper)));
    Thread.sleep(1000);
    publish(
        node,
        List.of(
            Events.report(invoicesId, "demo-i1", 95, Severity.LOW, "accuracy")
                .eventId("demo-r1")
                .sign(Signer.agent(auditor)),
            Events.report(invoicesId, "demo-i2", 90, Severity.LOW, "latency")
                .eventId("demo-r2")
                .sign(Signer.admin(admin)),
            Events.report(courierId, "demo-i3", 5, Severity.HIGH, "policy")
                .eventId("demo-r3")
                .sign(Signer.agent(auditor))));
    publish(
        node,
        List.of(
            Events.revoke(courierId, "booked shipments it was not asked to")
                .eventId("demo-revoke")
                .sign(Signer.sponsor(acme))));
    list(node, keys, out, "Demo published", acmeId, invoicesId, helperId, courierId, globexId);
    return ids;
  }

  /**
   * The demo's last event revokes the courier: once it is revoked, the demo is there, and a restart
   * publishes nothing again (its event ids are fixed, so a demo cut off halfway is finished without
   * counting anything twice).
   */
  private static boolean alreadyPublished(LedgerNode node, String courierId) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(node.url() + "/v1/agents/" + courierId))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"own_status\":\"revoked\"");
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void list(
      LedgerNode node,
      Path keys,
      PrintWriter out,
      String title,
      String acmeId,
      String invoicesId,
      String helperId,
      String courierId,
      String globexId) {
    out.println();
    out.println(title + " (keys in " + keys + "):");
    out.println("  sponsor Acme Corp     " + acmeId);
    out.println("  invoice-agent         " + invoicesId + "  (trusted, reported on)");
    out.println("  invoice-helper        " + helperId + "  (sub-agent of invoice-agent)");
    out.println("  courier-agent         " + courierId + "  (revoked)");
    out.println("  sponsor Globex        " + globexId);
    out.println("Try: curl " + node.url() + "/v1/agents/" + invoicesId);
  }

  /**
   * Publishes a batch and waits until the ledger has decided each of its events and this node's
   * reads show them: a later batch may be signed by the keys this one registers.
   */
  private static void publish(LedgerNode node, List<SignedEvent> events) throws Exception {
    for (SignedEvent e : events) {
      node.publish(e);
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    for (SignedEvent e : events) {
      while (true) {
        List<dev.trustledger.ledger.avro.Decision> decided = List.of();
        try {
          decided = node.runtime().stores().decisions(e.getSubjectId(), e.getEventId());
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException notYet) {
          // the sequencer is still starting
        }
        if (!decided.isEmpty()) {
          dev.trustledger.ledger.avro.Decision d = decided.get(0);
          long seq = d.getEntry() != null ? d.getEntry().getLedgerSeq() : d.getLedgerSeq() - 1;
          node.runtime().views().model().awaitLedgerSeq(seq, 10_000);
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the ledger did not decide " + e.getEventId() + " within 60 s; see the log");
        }
        Thread.sleep(50);
      }
    }
  }
}
