package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A log in which an agent, a sponsor, an admin and the ledger itself rotate their keys, written by
 * the real topology: the auditor verifies it whole (signatures made before each rotation with the
 * old keys, checkpoints signed with the ledger's key in force at their size), trusting either the
 * ledger's genesis key or the key it rotated to, and finds a checkpoint signed with a retired key.
 */
class RotationAuditTest {
  private static final long T = 1_767_225_600_000L;
  private static final Ed25519PrivateKey LEDGER_2 = key("ledger-2");
  private LedgerDriver ledger;

  @BeforeEach
  void setUp() throws Exception {
    Path dir = Files.createTempDirectory("rotation-audit");
    Path next = dir.resolve("ledger-2.key");
    KeyFiles.writePrivateKey(next, LEDGER_2);
    ledger =
        new LedgerDriver(
            Map.of(
                LedgerConfig.LEDGER_NEXT_KEY_FILES_CONFIG,
                next.toString(),
                LedgerConfig.CHECKPOINT_ENTRIES_CONFIG,
                3));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private static SignedEvent report(Signer by, String subject, String interaction) {
    return Events.report(agentId(subject), interaction, 90, Severity.LOW, "q")
        .eventId("rep-" + interaction)
        .issuedAt(T)
        .sign(by);
  }

  private void runRotations() {
    String adminId = Signer.admin(LedgerDriver.ADMIN).id();
    String ledgerId = Signer.ledger(LedgerDriver.LEDGER_KEY).id();
    ledger.publish(registerSponsor("acme", T), T);
    ledger.publish(registerAgent("bot", "acme", T), T + 1);
    ledger.publish(registerAgent("peer", "acme", T), T + 2);
    ledger.publish(report(Signer.agent(key("bot")), "peer", "before"), T + 3);
    // The agent rotates its own key; the sponsor's is forced by the admin; the admin rotates its
    // own; the ledger rotates its key.
    ledger.publish(
        Events.rotateKey(agentId("bot"), key("bot-2").publicKey(), "routine")
            .eventId("rot-bot")
            .issuedAt(T)
            .sign(Signer.agent(key("bot")), key("bot-2")),
        T + 4);
    ledger.publish(
        Events.rotateKey(sponsorId("acme"), key("acme-2").publicKey(), "leaked")
            .eventId("rot-acme")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN), key("acme-2")),
        T + 5);
    ledger.publish(
        Events.rotateKey(adminId, key("admin-2").publicKey(), "routine")
            .eventId("rot-admin")
            .issuedAt(T)
            .sign(Signer.admin(LedgerDriver.ADMIN), key("admin-2")),
        T + 6);
    ledger.publish(
        Events.rotateKey(ledgerId, LEDGER_2.publicKey(), "routine")
            .eventId("rot-ledger")
            .issuedAt(T)
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LEDGER_2),
        T + 7);
    // Each signs with its new key from now on; the old keys sign nothing.
    ledger.publish(
        report(Signer.rotated(PrincipalKind.AGENT, agentId("bot"), key("bot-2")), "peer", "after"),
        T + 8);
    ledger.publish(
        Events.suspend(agentId("peer"), "check")
            .eventId("sus-peer")
            .issuedAt(T)
            .sign(Signer.rotated(PrincipalKind.SPONSOR, sponsorId("acme"), key("acme-2"))),
        T + 9);
    ledger.publish(
        Events.registerSponsor(key("globex").publicKey(), "Globex", "ops@globex.example")
            .eventId("reg-globex")
            .issuedAt(T)
            .sign(Signer.rotated(PrincipalKind.ADMIN, adminId, key("admin-2")), key("globex")),
        T + 10);
    ledger.publish(report(Signer.agent(key("bot")), "peer", "retired"), T + 11);
    ledger.advanceWallClock(20_000);
  }

  @Test
  void aLogWithRotationsOfEveryKindAuditsClean() throws Exception {
    runRotations();
    assertThat(ledger.rejections()).hasSize(1);
    assertThat(ledger.lastRejection().getReason().name()).isEqualTo("KEY_RETIRED");
    List<Checkpoint> checkpoints = ledger.checkpoints();
    assertThat(checkpoints).isNotEmpty();
    Checkpoint last = checkpoints.get(checkpoints.size() - 1);
    assertThat(last.getNote()).contains("— test.ledger ");
    // The latest checkpoints are signed with the new ledger key.
    assertThat(new NoteKey("test.ledger", LEDGER_2.publicKey()).verify(last.getNote()).size())
        .isEqualTo(last.getSize());

    AuditReport byGenesisKey =
        LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey()).audit(ledger.auditLog());
    assertThat(byGenesisKey.problems()).isEmpty();
    assertThat(byGenesisKey.checkpoints()).isEqualTo(checkpoints.size());
    AuditReport byNewKey = LogAuditor.of(LEDGER_2.publicKey()).audit(ledger.auditLog());
    assertThat(byNewKey.problems()).isEmpty();
    AuditReport byStranger = LogAuditor.of(key("stranger").publicKey()).audit(ledger.auditLog());
    assertThat(byStranger.problems()).extracting(Problem::kind).contains(Problem.Kind.GENESIS);
  }

  @Test
  void aCheckpointSignedWithTheRetiredLedgerKeyAfterTheRotationIsFound() {
    runRotations();
    AuditLog log = ledger.auditLog();
    Checkpoint last = ledger.checkpoints().get(ledger.checkpoints().size() - 1);
    CheckpointBody body =
        new CheckpointBody(last.getOrigin(), last.getSize(), Buffers.toArray(last.getRootHash()));
    Checkpoint byOldKey =
        Checkpoint.newBuilder(last)
            .setNote(
                new NoteKey(last.getOrigin(), LedgerDriver.LEDGER_KEY.publicKey())
                    .sign(body, LedgerDriver.LEDGER_KEY))
            .build();
    List<Located<Checkpoint>> checkpoints = new ArrayList<>(log.checkpoints());
    checkpoints.add(Located.of(0, 999, byOldKey));
    AuditLog forged = new AuditLog(log.entries(), checkpoints, log.rejections(), log.inputs());
    assertThat(LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey()).audit(forged).problems())
        .extracting(Problem::kind)
        .containsExactly(Problem.Kind.CHECKPOINT_SIGNATURE);
  }
}
