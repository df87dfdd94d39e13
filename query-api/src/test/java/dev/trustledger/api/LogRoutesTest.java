package dev.trustledger.api;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.registerSubAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.encoding.Hex;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.merkle.Tiles;
import dev.trustledger.receipt.Receipt;
import dev.trustledger.receipt.ReceiptException;
import dev.trustledger.receipt.ReceiptVerifier;
import dev.trustledger.serde.SingleObjectFormat;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transparency routes over a real ledger in memory (600 reports, so full tiles exist): the C2SP
 * checkpoint and tiles, proofs, the ledger's description and receipts, each response checked
 * against openapi.yaml and each proof checked with the project's verifier.
 */
class LogRoutesTest {
  static final long T = 1_767_225_600_000L;
  static final NoteKey NOTE = new NoteKey(StepLedger.NAME, LedgerDriver.LEDGER_KEY.publicKey());
  static StepLedger ledger;
  static Javalin app;
  static ApiClient client;
  static String base;
  static long covered;

  @BeforeAll
  static void start() {
    ledger = new StepLedger(T);
    ledger.accept(
        T,
        registerSponsor("acme", T),
        registerAgent("bot", "acme", T),
        registerAgent("peer", "acme", T),
        registerSubAgent("child", "bot", "acme", T));
    for (int i = 0; i < 600; i++) {
      ledger.accept(
          T + i,
          Events.report(agentId("bot"), "i" + i, i % 30, Severity.LOW, "q")
              .eventId("r" + i)
              .issuedAt(T)
              .sign(Signer.admin(LedgerDriver.ADMIN)));
    }
    covered = ledger.sign(T + 1000).getSize();
    // An entry after the checkpoint: the peer's latest is not covered yet.
    ledger.accept(
        T + 2000,
        Events.report(agentId("peer"), "late", 90, Severity.LOW, "q")
            .eventId("late")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)));
    app =
        ApiApp.create(
                new ApiApp.Deps(
                    ledger,
                    id -> Optional.empty(),
                    e -> CompletableFuture.completedFuture(null),
                    SingleObjectFormat.of(SignedEvent.getClassSchema()),
                    StoreLocator.local(),
                    Clock.fixed(Instant.ofEpochMilli(T + 5000), ZoneOffset.UTC),
                    () -> true,
                    null,
                    new ApiOptions(16 * 1024, "", List.of()),
                    Witnessing.NONE,
                    dev.trustledger.crypto.KeyRing.of(LedgerDriver.LEDGER_KEY)))
            .start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port();
    client = new ApiClient(base);
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  static HttpResponse<byte[]> bytes(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void theCheckpointIsTheLedgersSignedNoteOverTheTree() throws Exception {
    var r = client.get("/checkpoint", "/checkpoint");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType().replace(" ", "")).isEqualToIgnoringCase("text/plain;charset=utf-8");
    assertThat(r.raw().headers().firstValue("Cache-Control")).contains("no-cache");
    CheckpointBody body = NOTE.verify(r.text());
    assertThat(body.origin()).isEqualTo(StepLedger.NAME);
    assertThat(body.size()).isEqualTo(covered);
    assertThat(body.rootHash()).isEqualTo(ledger.tree.root(covered));
  }

  @Test
  void tilesAndBundlesRebuildTheTreeAsATilesClientWould() throws Exception {
    HttpResponse<byte[]> full = bytes("/tile/0/000");
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");
    assertThat(full.body()).hasSize(256 * 32);
    int partialWidth = (int) (covered - 512);
    HttpResponse<byte[]> partial = bytes("/tile/0/002.p/" + partialWidth);
    assertThat(partial.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> level1 = bytes("/tile/1/000.p/2");
    assertThat(level1.statusCode()).isEqualTo(200);

    // A client with only the tiles and the bundles: every leaf hash matches its entry's bytes,
    // and the leaves give the checkpoint's root.
    MemoryTree rebuilt = new MemoryTree();
    for (String bundle : List.of("000", "001", "002.p/" + partialWidth)) {
      HttpResponse<byte[]> b = bytes("/tile/entries/" + bundle);
      assertThat(b.statusCode()).as(bundle).isEqualTo(200);
      for (byte[] entry : Tiles.unbundle(b.body())) {
        rebuilt.appendData(entry);
      }
    }
    assertThat(rebuilt.size()).isEqualTo(covered);
    for (int i = 0; i < 256; i++) {
      assertThat(java.util.Arrays.copyOfRange(full.body(), i * 32, i * 32 + 32))
          .isEqualTo(rebuilt.node(0, i));
    }
    assertThat(java.util.Arrays.copyOfRange(level1.body(), 32, 64)).isEqualTo(rebuilt.node(8, 1));
    assertThat(rebuilt.root(covered))
        .isEqualTo(NOTE.verify(client.get("/checkpoint", "/checkpoint").text()).rootHash());
  }

  @Test
  void missingAndMalformedTilesAreProblems() {
    assertThat(client.get("/tile/{path}", "/tile/0/009").status()).isEqualTo(404);
    assertThat(client.get("/tile/{path}", "/tile/3/000.p/1").status()).isEqualTo(404);
    var bad = client.get("/tile/{path}", "/tile/0/1");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("type").asText()).isEqualTo("urn:trustledger:problem:invalid-tile");
  }

  @Test
  void anInclusionProofVerifiesAgainstTheCheckpoint() throws Exception {
    JsonNode p = client.get("/v1/log/inclusion", "/v1/log/inclusion?ledger_seq=300").json();
    assertThat(p.get("tree_size").asLong()).isEqualTo(covered);
    byte[] leaf =
        MerkleHash.leaf(dev.trustledger.chain.EntryHash.leafData(ledger.entries.get(300)));
    assertThat(p.get("leaf_hash").asText()).isEqualTo(Hex.encode(leaf));
    CheckpointBody body = NOTE.verify(p.get("checkpoint").asText());
    Proofs.verifyInclusion(300, covered, leaf, hashes(p.get("proof")), body.rootHash());
    assertThat(
            client
                .get("/v1/log/inclusion", "/v1/log/inclusion?ledger_seq=300&tree_size=77")
                .status())
        .isEqualTo(404);
    assertThat(client.get("/v1/log/inclusion", "/v1/log/inclusion?ledger_seq=" + covered).status())
        .isEqualTo(404);
    assertThat(client.get("/v1/log/inclusion", "/v1/log/inclusion").status()).isEqualTo(400);
  }

  @Test
  void aConsistencyProofLinksAnEarlierSizeToTheCheckpoint() throws Exception {
    JsonNode p = client.get("/v1/log/consistency", "/v1/log/consistency?from=100").json();
    assertThat(p.get("to").asLong()).isEqualTo(covered);
    Proofs.verifyConsistency(
        100,
        covered,
        ledger.tree.root(100),
        NOTE.verify(p.get("checkpoint").asText()).rootHash(),
        hashes(p.get("proof")));
    assertThat(p.get("from_root").asText()).isEqualTo(Hex.encode(ledger.tree.root(100)));
    assertThat(
            client.get("/v1/log/consistency", "/v1/log/consistency?from=" + (covered + 1)).status())
        .isEqualTo(400);
  }

  @Test
  void theLedgerDescribesItself() {
    JsonNode l = client.get("/v1/ledger", "/v1/ledger").json();
    assertThat(l.get("ledger_id").asText()).isEqualTo(Signer.ledger(LedgerDriver.LEDGER_KEY).id());
    assertThat(l.get("verifier_key").asText()).isEqualTo(NOTE.verifierKey());
    assertThat(l.get("checkpoint_size").asLong()).isEqualTo(covered);
    assertThat(l.get("tree_size").asLong()).isEqualTo(covered + 1);
    assertThat(client.get("/v1/log/witnesses", "/v1/log/witnesses").json().get("quorum").asInt())
        .isZero();
  }

  @Test
  void anAgentReadCarriesTheProofOfItsLatestEntryOrSaysItIsPending() throws Exception {
    JsonNode bot =
        client.get("/v1/agents/{id}", "/v1/agents/" + agentId("bot") + "?proof=true").json();
    JsonNode proof = bot.get("proof");
    long seq = proof.get("ledger_seq").asLong();
    assertThat(seq).isEqualTo(covered - 1);
    Proofs.verifyInclusion(
        seq,
        covered,
        Hex.decode(proof.get("leaf_hash").asText()),
        hashes(proof.get("proof")),
        NOTE.verify(proof.get("checkpoint").asText()).rootHash());
    JsonNode peer =
        client.get("/v1/agents/{id}", "/v1/agents/" + agentId("peer") + "?proof=true").json();
    assertThat(peer.get("proof").get("pending").asText()).contains("not in the latest checkpoint");
    assertThat(client.get("/v1/agents/{id}", "/v1/agents/" + agentId("bot")).json().has("proof"))
        .isFalse();
    assertThat(
            client.get("/v1/agents/{id}", "/v1/agents/" + agentId("bot") + "?proof=yes").status())
        .isEqualTo(400);
  }

  @Test
  void theLatestEntriesComeNewestFirstInPages() {
    var first = client.get("/v1/log/entries", "/v1/log/entries?limit=5").json();
    long size = first.get("tree_size").asLong();
    assertThat(size).isEqualTo(ledger.entries.size());
    assertThat(first.get("entries")).hasSize(5);
    assertThat(first.get("entries").get(0).get("ledger_seq").asLong()).isEqualTo(size - 1);
    assertThat(first.get("entries").get(0).get("entry_hash").asText()).matches("[0-9a-f]{64}");
    long next = first.get("next_before").asLong();
    var second = client.get("/v1/log/entries", "/v1/log/entries?limit=5&before=" + next).json();
    assertThat(second.get("entries").get(0).get("ledger_seq").asLong()).isEqualTo(size - 6);
    var last = client.get("/v1/log/entries", "/v1/log/entries?limit=100&before=3").json();
    assertThat(last.get("entries")).hasSize(3);
    assertThat(last.get("next_before").isNull()).isTrue();
  }

  @Test
  void theOverviewCountsSponsorsAndAgentsByStatus() {
    var o = client.get("/v1/overview", "/v1/overview").json();
    assertThat(o.get("agents").get("active").asLong()).isEqualTo(3);
    assertThat(o.get("sponsors").get("active").asLong()).isEqualTo(1);
    assertThat(o.get("agents").get("revoked").asLong()).isZero();
    assertThat(o.get("entries").asLong()).isEqualTo(ledger.entries.size());
  }

  @Test
  void aReceiptVerifiesOfflineAndGivesTheSubAgentsEffectiveTrust() throws Exception {
    var r = client.get("/v1/agents/{id}/receipt", "/v1/agents/" + agentId("child") + "/receipt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).startsWith("c2sp.org/tlog-proof@v1\nextra ");
    Receipt receipt = Receipt.parse(r.text());
    ReceiptVerifier verifier =
        new ReceiptVerifier(
            LedgerDriver.LEDGER_KEY.publicKey(), List.of(), 0, Duration.ofMinutes(5));
    ReceiptVerifier.Verified v = verifier.verify(receipt, T + 6000, T + 6000);
    assertThat(v.agentId()).isEqualTo(agentId("child"));
    assertThat(v.status()).isEqualTo("active");
    assertThat(v.treeSize()).isEqualTo(covered);
    // The child has no evidence of its own; its parent's bad reports bring its effective trust
    // down.
    JsonNode served = client.get("/v1/agents/{id}", "/v1/agents/" + agentId("child")).json();
    assertThat(v.effectiveTrustScore()).isEqualTo(served.get("effective_trust_score").asInt());
    assertThat(v.effectiveTrustScore()).isLessThan(v.trustScore());

    assertThatThrownBy(() -> verifier.verify(receipt, T + 3_600_000, T))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("old");
    String tampered = r.text().replaceFirst("\nindex (\\d+)\n", "\nindex 3\n");
    assertThatThrownBy(() -> verifier.verify(Receipt.parse(tampered), T + 6000, T))
        .isInstanceOf(ReceiptException.class);
    var other = key("other-ledger");
    assertThatThrownBy(
            () ->
                new ReceiptVerifier(other.publicKey(), List.of(), 0, null)
                    .verify(receipt, T + 6000, T))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("not the ledger's");
  }

  @Test
  void aReceiptWithAnAlteredStatementOrWithoutTheQuorumFails() throws Exception {
    String text =
        client.get("/v1/agents/{id}/receipt", "/v1/agents/" + agentId("bot") + "/receipt").text();
    Receipt receipt = Receipt.parse(text);
    ReceiptVerifier verifier =
        new ReceiptVerifier(LedgerDriver.LEDGER_KEY.publicKey(), List.of(), 0, null);
    verifier.verify(receipt, T + 6000, T + 6000);
    Receipt altered =
        new Receipt(
            receipt.index(),
            receipt.proof(),
            receipt.entries(),
            receipt.statement().replaceFirst("\ntime \\d+\n", "\ntime " + (T + 9_999_999) + "\n"),
            receipt.signature(),
            receipt.checkpoint(),
            receipt.ledgerKeys());
    assertThatThrownBy(() -> verifier.verify(altered, T + 6000, T))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("not signed by the ledger key");
    var w = key("a-witness");
    ReceiptVerifier needsWitness =
        new ReceiptVerifier(
            LedgerDriver.LEDGER_KEY.publicKey(),
            List.of(new dev.trustledger.checkpoint.CosignerKey("w.example", w.publicKey())),
            1,
            null);
    assertThatThrownBy(() -> needsWitness.verify(receipt, T + 6000, T))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("the quorum is 1");
  }

  @Test
  void noReceiptBeforeTheAgentsLatestEntryIsCheckpointed() {
    var r = client.get("/v1/agents/{id}/receipt", "/v1/agents/" + agentId("peer") + "/receipt");
    assertThat(r.status()).isEqualTo(200);
    // The peer's latest entry is after the checkpoint: the receipt names the latest one before it.
    assertThat(r.text()).contains("\nindex ");
  }

  static List<byte[]> hashes(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(h -> out.add(Hex.decode(h.asText())));
    return out;
  }
}
