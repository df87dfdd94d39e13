package dev.trustledger.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.serde.SingleObjectFormat;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Generates the worked example of schemas/README.md: one sponsor registration, signed, chained as
 * entry 0, folded into the partition log hash and checkpointed. Every value is deterministic (fixed
 * seeds, deterministic Ed25519). {@code WorkedExampleTest} checks the checked-in JSON against this
 * code; run {@code main} to regenerate after a deliberate contract change.
 */
public final class WorkedExample {
  static final String RESOURCE = "vectors/contract/worked_example.json";

  private WorkedExample() {}

  static Ed25519PrivateKey seeded(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  public static ObjectNode compute() {
    Ed25519PrivateKey admin = seeded(1);
    Ed25519PrivateKey sponsor = seeded(2);
    Ed25519PrivateKey ledger = seeded(3);
    long issuedAt = 1_767_225_600_000L;
    long ledgerTime = 1_767_225_600_123L;

    SignedEvent event =
        Events.registerSponsor(sponsor.publicKey(), "Example Org", "ops@example.org")
            .eventId("evt-1")
            .issuedAt(issuedAt)
            .sign(Signer.admin(admin), sponsor);
    byte[] signingBytes = SigningBytes.of(event);

    UnhashedLedgerEntry unhashed =
        UnhashedLedgerEntry.newBuilder()
            .setSubjectId(event.getSubjectId())
            .setSeq(0)
            .setPrevHash(ByteBuffer.wrap(EntryHash.genesis()))
            .setLedgerTime(ledgerTime)
            .setLedgerSeq(0)
            .setEvent(event)
            .setFacts(
                EntryFacts.newBuilder()
                    .setSignerPublicKey(ByteBuffer.wrap(admin.publicKey().raw()))
                    .setSignerKind(PrincipalKind.ADMIN)
                    .setStatusAfter(PrincipalStatus.ACTIVE)
                    .build())
            .build();
    LedgerEntry entry = EntryHash.seal(unhashed);
    byte[] entryHash = Buffers.toArray(entry.getEntryHash());
    byte[] entryAvro = AvroBinary.encode(entry);
    byte[] leafHash = MerkleHash.leaf(entryAvro);
    // A tree of one leaf: its root is the leaf hash.
    CheckpointBody body =
        new CheckpointBody(CheckpointBody.origin("trustledger.example", 0), 1, leafHash);
    NoteKey noteKey = new NoteKey("trustledger.example", ledger.publicKey());

    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.put(
        "desc",
        "sponsor registration signed by an admin, chained, a leaf of the tree, checkpointed");
    out.put("admin_seed", Hex.encode(admin.seed()));
    out.put("admin_public_key", Hex.encode(admin.publicKey().raw()));
    out.put("admin_id", Signer.admin(admin).id());
    out.put("sponsor_seed", Hex.encode(sponsor.seed()));
    out.put("sponsor_public_key", Hex.encode(sponsor.publicKey().raw()));
    out.put("sponsor_id", event.getSubjectId());
    out.put("ledger_seed", Hex.encode(ledger.seed()));
    out.put("ledger_public_key", Hex.encode(ledger.publicKey().raw()));
    out.put("ledger_id", Signer.ledger(ledger).id());
    out.put("event_id", event.getEventId());
    out.put("issued_at", issuedAt);
    out.put("unsigned_event_avro", Hex.encode(AvroBinary.encode(SigningBytes.unsigned(event))));
    out.put("signing_bytes", Hex.encode(signingBytes));
    out.put("event_hash", Hex.encode(EventHashes.ofSigningBytes(signingBytes)));
    out.put("signature", Hex.encode(Buffers.toArray(event.getSignature())));
    out.put("pop_signature", Hex.encode(Buffers.toArray(event.getPopSignature())));
    out.put("signed_event_avro", Hex.encode(AvroBinary.encode(event)));
    out.put(
        "signed_event_single_object",
        Hex.encode(
            SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema())
                .encode("ledger.events", event)));
    out.put("ledger_time", ledgerTime);
    out.put("unhashed_entry_avro", Hex.encode(AvroBinary.encode(unhashed)));
    out.put("entry_hash", Hex.encode(entryHash));
    out.put("entry_avro", Hex.encode(entryAvro));
    out.put("leaf_hash", Hex.encode(leafHash));
    out.put("root_1", Hex.encode(leafHash));
    out.put("note_key_name", noteKey.name());
    out.put("note_key_id", Hex.encode(noteKey.keyId()));
    out.put("note_verifier_key", noteKey.verifierKey());
    out.put("checkpoint_note", noteKey.sign(body, ledger));
    return out;
  }

  /** Writes the example to {@code args[0]} (default: the test resource in this module). */
  public static void main(String[] args) throws Exception {
    Path target = Path.of(args.length > 0 ? args[0] : "schemas/src/test/resources/" + RESOURCE);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(target.toFile(), compute());
    Files.writeString(target, Files.readString(target) + "\n");
  }
}
