package dev.trustledger.receipt;

import static dev.trustledger.testutil.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustParams;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receipt made by someone who never held the ledger's key: its entries say the ledger rotated to
 * the forger's key, and the checkpoint and statement are signed with that key. Every proof and hash
 * holds; only the rotation's signature by the ledger's genesis key is missing, and that is what a
 * gateway trusting the genesis key must refuse it for. The same receipt with the rotation signed by
 * the genesis key (as the ledger would) verifies.
 */
class ForgedRotationTest {
  private static final long T = 1_767_225_600_000L;
  private static final Ed25519PrivateKey LEDGER = key("ledger");
  private static final Ed25519PrivateKey FORGER = key("forger");
  private static final String LEDGER_ID = Signer.ledger(LEDGER).id();

  private final List<LedgerEntry> entries = new ArrayList<>();
  private final List<byte[]> leaves = new ArrayList<>();

  private LedgerEntry append(String subject, SignedEvent event, EntryFacts facts) {
    EntryHash.Sealed sealed =
        EntryHash.sealed(
            UnhashedLedgerEntry.newBuilder()
                .setSubjectId(subject)
                .setSeq(0)
                .setPrevHash(ByteBuffer.wrap(EntryHash.genesis()))
                .setLedgerTime(T)
                .setLedgerSeq(entries.size())
                .setEvent(event)
                .setFacts(facts)
                .build());
    entries.add(sealed.entry());
    leaves.add(sealed.leafData());
    return sealed.entry();
  }

  private static EntryFacts facts(Evidence trust) {
    return EntryFacts.newBuilder()
        .setStatusAfter(PrincipalStatus.ACTIVE)
        .setTrustAfter(trust == null ? null : trust.toAvro())
        .build();
  }

  /** A receipt for an agent of a ledger that rotated to the forger's key by {@code rotation}. */
  private Receipt receipt(SignedEvent rotation) {
    LedgerParameters params =
        LedgerParameters.newBuilder()
            .setLedgerName("test.ledger")
            .setAdminPublicKeys(List.of(ByteBuffer.wrap(key("admin").publicKey().raw())))
            .setTrust(TrustParams.DEFAULTS.toAvro())
            .setReplayWindowMs(86_400_000L)
            .setFutureSkewMs(300_000L)
            .setEntriesPartitions(1)
            .setCheckpointEntries(1000)
            .setCheckpointIntervalMs(10_000L)
            .build();
    LedgerEntry genesis =
        append(
            LEDGER_ID,
            Events.genesis(LEDGER.publicKey(), params)
                .issuedAt(T)
                .sign(Signer.ledger(LEDGER), LEDGER),
            facts(null));
    SignedEvent sponsorEvent =
        Events.registerSponsor(key("acme").publicKey(), "Acme", "ops@acme.example")
            .issuedAt(T)
            .sign(Signer.admin(key("admin")), key("acme"));
    LedgerEntry sponsor = append(sponsorEvent.getSubjectId(), sponsorEvent, facts(null));
    Evidence trust = Evidence.registered(T);
    SignedEvent agentEvent =
        Events.registerAgent(key("bot").publicKey(), sponsor.getSubjectId())
            .draft()
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("bot"));
    LedgerEntry agent = append(agentEvent.getSubjectId(), agentEvent, facts(trust));
    LedgerEntry rotated = append(LEDGER_ID, rotation, facts(null));

    MemoryTree tree = new MemoryTree();
    leaves.forEach(tree::appendData);
    long size = tree.size();
    CheckpointBody body = new CheckpointBody("test.ledger", size, tree.root(size));
    String note = new NoteKey("test.ledger", FORGER.publicKey()).sign(body, FORGER);
    Statement statement =
        new Statement(
            LEDGER_ID,
            "test.ledger",
            size,
            body.rootHash(),
            T,
            agent.getSubjectId(),
            sponsor.getSubjectId(),
            List.of(),
            List.of(latest(agent), latest(sponsor)),
            List.of(new Statement.Trust(agent.getSubjectId(), trust)),
            latest(genesis));
    List<Receipt.Entry> receiptEntries = new ArrayList<>();
    for (LedgerEntry e : List.of(agent, sponsor, genesis)) {
      receiptEntries.add(entry(tree, e));
    }
    return new Receipt(
        agent.getLedgerSeq(),
        receiptEntries.get(0).proof(),
        receiptEntries,
        statement.text(),
        statement.sign(FORGER),
        note,
        List.of(entry(tree, rotated)));
  }

  private Receipt.Entry entry(MemoryTree tree, LedgerEntry e) {
    int i = (int) e.getLedgerSeq();
    return new Receipt.Entry(i, leaves.get(i), Proofs.inclusion(i, tree.size(), tree));
  }

  private static Statement.Latest latest(LedgerEntry e) {
    return new Statement.Latest(
        e.getSubjectId(), e.getLedgerSeq(), Buffers.toArray(e.getEntryHash()));
  }

  private static ReceiptVerifier trustingTheGenesisKey() {
    return new ReceiptVerifier(LEDGER.publicKey(), List.of(), 0, null);
  }

  @Test
  void aRotationTheLedgersKeyDidNotSignIsRefused() {
    SignedEvent forged =
        Events.rotateKey(LEDGER_ID, FORGER.publicKey(), "forged")
            .issuedAt(T)
            .sign(Signer.rotated(PrincipalKind.LEDGER, LEDGER_ID, FORGER), FORGER);
    assertThatThrownBy(() -> trustingTheGenesisKey().verify(receipt(forged), T, T))
        .isInstanceOf(ReceiptException.class)
        .hasMessageContaining("not signed by the key before it");
  }

  @Test
  void theSameReceiptWithTheRotationSignedByTheLedgerVerifies() throws Exception {
    SignedEvent genuine =
        Events.rotateKey(LEDGER_ID, FORGER.publicKey(), "rotation")
            .issuedAt(T)
            .sign(Signer.ledger(LEDGER), FORGER);
    assertThat(trustingTheGenesisKey().verify(receipt(genuine), T, T).status()).isEqualTo("active");
  }
}
