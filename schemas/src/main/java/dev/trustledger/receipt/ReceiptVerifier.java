package dev.trustledger.receipt;

import dev.trustledger.avro.KeyRotated;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.LedgerParametersChanged;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.event.EventSignatures;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.ProofException;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.TrustParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a receipt offline with the ledger's key and the witnesses an application trusts: the
 * checkpoint's signature and cosignatures (a quorum), every entry's inclusion proof in that
 * checkpoint and its own hash, the ledger's statement, and its age; then computes the agent's
 * status and trust at a time from the entries and the parameters in force.
 */
public final class ReceiptVerifier {
  private final Ed25519PublicKey ledgerKey;
  private final List<CosignerKey> witnesses;
  private final int quorum;
  private final Duration maxAge;

  /**
   * @param maxAge the oldest statement accepted, or null for any age
   */
  public ReceiptVerifier(
      Ed25519PublicKey ledgerKey, List<CosignerKey> witnesses, int quorum, Duration maxAge) {
    if (quorum < 0 || quorum > witnesses.size()) {
      throw new IllegalArgumentException(
          "a quorum of " + quorum + " of " + witnesses.size() + " witnesses cannot be met");
    }
    this.ledgerKey = ledgerKey;
    this.witnesses = List.copyOf(witnesses);
    this.quorum = quorum;
    this.maxAge = maxAge;
  }

  /**
   * What a verified receipt says.
   *
   * @param agentId the agent
   * @param status its effective status: its own, or an ancestor's suspension or revocation
   * @param cause the principal whose status it is (the agent itself when it is its own)
   * @param trustScore its own trust score at {@code at}
   * @param effectiveTrustScore the lowest of its own and its parents' scores
   * @param sponsorId its sponsor
   * @param origin the checkpoint's origin
   * @param treeSize the checkpoint's size
   * @param cosigners names of the trusted witnesses whose cosignatures verified
   * @param newestCosignature the newest of their times, epoch seconds (-1 without any)
   * @param statementTime when the ledger made the statement, epoch ms
   * @param at when the trust was computed, epoch ms
   */
  public record Verified(
      String agentId,
      String status,
      String cause,
      int trustScore,
      int effectiveTrustScore,
      String sponsorId,
      String origin,
      long treeSize,
      List<String> cosigners,
      long newestCosignature,
      long statementTime,
      long at) {}

  public Verified verify(Receipt receipt, long now, long at) throws ReceiptException {
    Statement claimed = Statement.parse(receipt.statement());
    String ledgerId = claimed.ledgerId();
    Ed25519PublicKey signingKey = followRotations(receipt.ledgerKeys(), ledgerId);
    SignedNote note;
    CheckpointBody body;
    try {
      note = SignedNote.parse(receipt.checkpoint());
      String origin = note.text().substring(0, note.text().indexOf('\n'));
      body = new NoteKey(origin, signingKey).verify(note);
    } catch (NoteException | IllegalArgumentException e) {
      throw new ReceiptException("the checkpoint is not the ledger's: " + e.getMessage());
    }
    for (Receipt.Entry e : receipt.ledgerKeys()) {
      try {
        Proofs.verifyInclusion(
            e.index(), body.size(), MerkleHash.leaf(e.leafData()), e.proof(), body.rootHash());
      } catch (ProofException ex) {
        throw new ReceiptException(
            "the ledger's key rotation at ledger_seq "
                + e.index()
                + " is not in the checkpoint: "
                + ex.getMessage());
      }
    }
    List<String> cosigners = new ArrayList<>();
    long newest = -1;
    for (CosignerKey w : witnesses) {
      try {
        Optional<Long> time = w.verify(note);
        if (time.isPresent()) {
          cosigners.add(w.name());
          newest = Math.max(newest, time.get());
        }
      } catch (NoteException e) {
        throw new ReceiptException("a cosignature does not verify: " + e.getMessage());
      }
    }
    if (cosigners.size() < quorum) {
      throw new ReceiptException(
          "the checkpoint carries "
              + cosigners.size()
              + " valid cosignatures of the "
              + witnesses.size()
              + " witnesses, the quorum is "
              + quorum);
    }
    if (!Statement.verify(receipt.statement(), receipt.signature(), signingKey)) {
      throw new ReceiptException("the ledger's statement is not signed by the ledger key");
    }
    Statement st = claimed;
    if (!st.ledgerId().equals(ledgerId)
        || !st.origin().equals(body.origin())
        || st.treeSize() != body.size()
        || !Arrays.equals(st.rootHash(), body.rootHash())) {
      throw new ReceiptException("the statement is about another ledger or checkpoint");
    }
    if (maxAge != null && now - st.time() > maxAge.toMillis()) {
      throw new ReceiptException(
          "the receipt is "
              + Duration.ofMillis(now - st.time()).toSeconds()
              + " s old, more than the "
              + maxAge.toSeconds()
              + " s allowed");
    }
    List<Receipt.Entry> entries = receipt.entries();
    if (entries.size() != st.latest().size() + 1) {
      throw new ReceiptException(
          "the receipt holds "
              + entries.size()
              + " entries, its statement names "
              + (st.latest().size() + 1));
    }
    if (entries.get(0).index() != receipt.index()
        || !sameHashes(entries.get(0).proof(), receipt.proof())) {
      throw new ReceiptException("the first entry is not the one the proof is about");
    }
    List<LedgerEntry> decoded = new ArrayList<>();
    for (Receipt.Entry e : entries) {
      try {
        Proofs.verifyInclusion(
            e.index(), body.size(), MerkleHash.leaf(e.leafData()), e.proof(), body.rootHash());
      } catch (ProofException ex) {
        throw new ReceiptException(
            "the entry at ledger_seq "
                + e.index()
                + " is not in the checkpoint: "
                + ex.getMessage());
      }
      LedgerEntry entry;
      try {
        entry = AvroBinary.decode(e.leafData(), LedgerEntry.getClassSchema());
      } catch (SerdeException ex) {
        throw new ReceiptException(
            "the entry at " + e.index() + " does not decode: " + ex.getMessage());
      }
      if (!EntryHash.verify(entry) || entry.getLedgerSeq() != e.index()) {
        throw new ReceiptException("the entry at " + e.index() + " is not well formed");
      }
      decoded.add(entry);
    }
    Map<String, LedgerEntry> latest = new HashMap<>();
    for (int i = 0; i < st.latest().size(); i++) {
      Statement.Latest l = st.latest().get(i);
      LedgerEntry entry = decoded.get(i);
      if (!entry.getSubjectId().equals(l.principalId())
          || entry.getLedgerSeq() != l.ledgerSeq()
          || !Arrays.equals(Buffers.toArray(entry.getEntryHash()), l.entryHash())) {
        throw new ReceiptException("entry " + i + " is not the one the statement names");
      }
      latest.put(l.principalId(), entry);
    }
    LedgerEntry paramsEntry = decoded.get(decoded.size() - 1);
    LedgerParameters params = parameters(paramsEntry, ledgerId);
    if (paramsEntry.getLedgerSeq() != st.parameters().ledgerSeq()
        || !Arrays.equals(
            Buffers.toArray(paramsEntry.getEntryHash()), st.parameters().entryHash())) {
      throw new ReceiptException("the parameters entry is not the one the statement names");
    }
    String agentId = st.subjectId();
    if (!PrincipalIds.isWellFormed(agentId, PrincipalKind.AGENT)
        || !decoded.get(0).getSubjectId().equals(agentId)) {
      throw new ReceiptException("the receipt is not about an agent");
    }
    List<String> lineage = new ArrayList<>();
    lineage.add(agentId);
    lineage.addAll(st.parents());
    for (String id : lineage) {
      if (!latest.containsKey(id)) {
        throw new ReceiptException("the receipt holds no entry of " + id);
      }
    }
    if (!latest.containsKey(st.sponsorId())) {
      throw new ReceiptException("the receipt holds no entry of the sponsor " + st.sponsorId());
    }
    Map<String, Evidence> trust = new HashMap<>();
    for (Statement.Trust t : st.trust()) {
      trust.put(t.agentId(), t.evidence());
    }
    TrustParams tp = TrustParams.of(params.getTrust());
    String status = "active";
    String cause = agentId;
    int own = -1;
    int effective = 100;
    List<String> chain = new ArrayList<>(lineage);
    chain.add(st.sponsorId());
    for (String id : chain) {
      LedgerEntry entry = latest.get(id);
      PrincipalStatus s = entry.getFacts().getStatusAfter();
      if (s != PrincipalStatus.ACTIVE && status.equals("active")) {
        status = s.name().toLowerCase(java.util.Locale.ROOT);
        cause = id;
      }
      if (id.equals(st.sponsorId())) {
        continue;
      }
      Evidence held = trust.get(id);
      if (held == null || entry.getFacts().getTrustAfter() == null) {
        throw new ReceiptException("the receipt holds no trust evidence of " + id);
      }
      Evidence recorded = Evidence.of(entry.getFacts().getTrustAfter());
      if (held.positive() != recorded.positive()
          || held.negative() != recorded.negative()
          || held.evidenceTime() != recorded.evidenceTime()
          || held.positiveReports() != recorded.positiveReports()
          || held.negativeReports() != recorded.negativeReports()
          || held.activityTime() < recorded.activityTime()) {
        throw new ReceiptException(
            "the ledger's statement of " + id + "'s evidence contradicts its latest entry");
      }
      int score = s == PrincipalStatus.REVOKED ? 0 : TrustModel.evaluate(held, at, tp).score();
      if (own < 0) {
        own = score;
      }
      effective = Math.min(effective, score);
    }
    return new Verified(
        agentId,
        status,
        cause,
        own,
        effective,
        st.sponsorId(),
        body.origin(),
        body.size(),
        List.copyOf(cosigners),
        newest,
        st.time(),
        at);
  }

  /**
   * The key that signs the receipt's checkpoint: the trusted key, followed through the ledger's
   * rotations after it, each signed by the key before it. The trusted key is the ledger's genesis
   * key (its id is the ledger's) or a key one of the rotations named.
   */
  private Ed25519PublicKey followRotations(List<Receipt.Entry> rotations, String ledgerId)
      throws ReceiptException {
    Ed25519PublicKey key = ledgerKey;
    boolean trusted = PrincipalIds.of(PrincipalKind.LEDGER, ledgerKey.raw()).equals(ledgerId);
    long last = -1;
    for (Receipt.Entry e : rotations) {
      LedgerEntry entry;
      try {
        entry = AvroBinary.decode(e.leafData(), LedgerEntry.getClassSchema());
      } catch (SerdeException ex) {
        throw new ReceiptException(
            "a key rotation of the ledger does not decode: " + ex.getMessage());
      }
      if (!EntryHash.verify(entry)
          || entry.getLedgerSeq() != e.index()
          || e.index() <= last
          || !entry.getSubjectId().equals(ledgerId)
          || !(entry.getEvent() instanceof SignedEvent event)
          || !(event.getPayload() instanceof KeyRotated rotated)) {
        throw new ReceiptException(
            "the entry at ledger_seq " + e.index() + " is not a key rotation of " + ledgerId);
      }
      last = e.index();
      Ed25519PublicKey next;
      try {
        next = Ed25519PublicKey.of(Buffers.toArray(rotated.getNewPublicKey()));
      } catch (RuntimeException ex) {
        throw new ReceiptException("the ledger rotated to an unusable key: " + ex.getMessage());
      }
      if (!trusted) {
        trusted = next.equals(key);
        continue;
      }
      if (!EventSignatures.signatureValid(event, SigningBytes.of(event), key)) {
        throw new ReceiptException(
            "the ledger's key rotation at ledger_seq "
                + e.index()
                + " is not signed by the key before it");
      }
      key = next;
    }
    if (!trusted) {
      throw new ReceiptException(
          "the trusted key is not the ledger's: neither the genesis key of "
              + ledgerId
              + " nor a key it rotated to");
    }
    return key;
  }

  private static LedgerParameters parameters(LedgerEntry entry, String ledgerId)
      throws ReceiptException {
    if (entry.getSubjectId().equals(ledgerId) && entry.getEvent() instanceof SignedEvent e) {
      if (e.getPayload() instanceof LedgerGenesis g) {
        return g.getParameters();
      }
      if (e.getPayload() instanceof LedgerParametersChanged c) {
        return c.getParameters();
      }
    }
    throw new ReceiptException(
        "the last entry of the receipt does not set the ledger's parameters");
  }

  private static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
