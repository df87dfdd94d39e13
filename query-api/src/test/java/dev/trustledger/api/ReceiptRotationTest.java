package dev.trustledger.api;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.receipt.Receipt;
import dev.trustledger.receipt.ReceiptException;
import dev.trustledger.receipt.ReceiptVerifier;
import dev.trustledger.serde.SingleObjectFormat;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipts follow the ledger's key: after the ledger rotated its key, a receipt's checkpoint and
 * statement are signed with the new key, and a gateway that still trusts the genesis key follows
 * the rotation entry the receipt carries (signed by the old key, proven by the new) to it.
 */
class ReceiptRotationTest {
  static final long T = 1_767_225_600_000L;
  static final Ed25519PrivateKey LEDGER_2 = key("ledger-2");
  static StepLedger ledger;
  static Javalin app;
  static ApiClient client;

  @BeforeAll
  static void start() {
    ledger = new StepLedger(T);
    ledger.accept(T, registerSponsor("acme", T), registerAgent("bot", "acme", T));
    ledger.accept(
        T + 1,
        Events.rotateKey(
                Signer.ledger(LedgerDriver.LEDGER_KEY).id(), LEDGER_2.publicKey(), "yearly")
            .eventId("rot-ledger")
            .issuedAt(T)
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LEDGER_2));
    ledger.accept(
        T + 2,
        Events.report(agentId("bot"), "i1", 90, dev.trustledger.avro.Severity.LOW, "q")
            .eventId("r1")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN)));
    ledger.sign(T + 1000, LEDGER_2);
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
                    KeyRing.of(LedgerDriver.LEDGER_KEY, List.of(LEDGER_2))))
            .start("127.0.0.1", 0);
    client = new ApiClient("http://127.0.0.1:" + app.port());
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  private static Receipt receipt() throws Exception {
    var r = client.get("/v1/agents/{id}/receipt", "/v1/agents/" + agentId("bot") + "/receipt");
    assertThat(r.status()).isEqualTo(200);
    return Receipt.parse(r.text());
  }

  @Test
  void aGatewayTrustingTheGenesisKeyFollowsTheRotation() throws Exception {
    Receipt receipt = receipt();
    assertThat(receipt.ledgerKeys()).hasSize(1);
    ReceiptVerifier.Verified v =
        new ReceiptVerifier(LedgerDriver.LEDGER_KEY.publicKey(), List.of(), 0, null)
            .verify(receipt, T + 6000, T + 6000);
    assertThat(v.agentId()).isEqualTo(agentId("bot"));
    assertThat(v.status()).isEqualTo("active");
  }

  @Test
  void aGatewayTrustingTheNewKeyVerifiesItToo() throws Exception {
    assertThat(
            new ReceiptVerifier(LEDGER_2.publicKey(), List.of(), 0, null)
                .verify(receipt(), T + 6000, T + 6000)
                .status())
        .isEqualTo("active");
  }

  @Test
  void withoutTheRotationEntryTheGenesisKeyCannotReachTheNewKey() throws Exception {
    Receipt r = receipt();
    Receipt stripped =
        new Receipt(
            r.index(),
            r.proof(),
            r.entries(),
            r.statement(),
            r.signature(),
            r.checkpoint(),
            List.of());
    assertThatThrownBy(
            () ->
                new ReceiptVerifier(LedgerDriver.LEDGER_KEY.publicKey(), List.of(), 0, null)
                    .verify(stripped, T + 6000, T + 6000))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("not the ledger's");
    assertThatThrownBy(
            () ->
                new ReceiptVerifier(key("stranger").publicKey(), List.of(), 0, null)
                    .verify(r, T + 6000, T + 6000))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("not the ledger's");
  }
}
