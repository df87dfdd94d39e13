package dev.trustledger.chain;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.serde.AvroBinary;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The hash of one chain entry: {@code SHA-256("trustledger/v1/entry\n" || Avro binary of
 * LedgerEntry without entry_hash)}, which is the Avro binary of {@link UnhashedLedgerEntry}.
 */
public final class EntryHash {
  /** {@code prev_hash} of the entry with seq 0: 32 zero bytes. */
  private static final byte[] GENESIS = new byte[Sha256.LENGTH];

  private EntryHash() {}

  /** A copy of the {@code prev_hash} of seq 0. */
  public static byte[] genesis() {
    return GENESIS.clone();
  }

  public static byte[] compute(UnhashedLedgerEntry entry) {
    return Sha256.hash(Domain.ENTRY, AvroBinary.encode(entry));
  }

  /** The hash {@code entry} should carry, recomputed from its other fields. */
  public static byte[] compute(LedgerEntry entry) {
    return compute(unhashed(entry));
  }

  /** {@code entry} with its entry_hash computed. */
  public static LedgerEntry seal(UnhashedLedgerEntry entry) {
    return sealed(entry).entry();
  }

  /**
   * An entry and its canonical bytes: the Avro binary of the {@link LedgerEntry}, which is the leaf
   * data of the ledger's Merkle tree.
   */
  public record Sealed(LedgerEntry entry, byte[] leafData) {}

  /**
   * {@code entry} with its entry_hash computed, and its canonical bytes, encoded once: a
   * LedgerEntry encodes as its UnhashedLedgerEntry followed by the entry_hash as Avro bytes (length
   * 32, zig-zag 0x40, then the hash).
   */
  public static Sealed sealed(UnhashedLedgerEntry entry) {
    byte[] unhashed = AvroBinary.encode(entry);
    byte[] hash = Sha256.hash(Domain.ENTRY, unhashed);
    byte[] leaf = new byte[unhashed.length + 1 + hash.length];
    System.arraycopy(unhashed, 0, leaf, 0, unhashed.length);
    leaf[unhashed.length] = (byte) (2 * Sha256.LENGTH);
    System.arraycopy(hash, 0, leaf, unhashed.length + 1, hash.length);
    LedgerEntry sealed = withHash(entry, hash);
    return new Sealed(sealed, leaf);
  }

  /** The canonical bytes of {@code entry}: its Avro binary, the leaf data of the Merkle tree. */
  public static byte[] leafData(LedgerEntry entry) {
    return AvroBinary.encode(entry);
  }

  private static LedgerEntry withHash(UnhashedLedgerEntry entry, byte[] hash) {
    return LedgerEntry.newBuilder()
        .setSubjectId(entry.getSubjectId())
        .setSeq(entry.getSeq())
        .setPrevHash(entry.getPrevHash())
        .setLedgerTime(entry.getLedgerTime())
        .setLedgerSeq(entry.getLedgerSeq())
        .setEvent(entry.getEvent())
        .setFacts(entry.getFacts())
        .setEntryHash(ByteBuffer.wrap(hash))
        .build();
  }

  /** True when the recorded entry_hash equals the recomputed one. */
  public static boolean verify(LedgerEntry entry) {
    byte[] recorded = Buffers.toArray(entry.getEntryHash());
    return recorded != null && MessageDigest.isEqual(recorded, compute(entry));
  }

  /** The fields of {@code entry} that its hash covers. */
  public static UnhashedLedgerEntry unhashed(LedgerEntry entry) {
    return UnhashedLedgerEntry.newBuilder()
        .setSubjectId(entry.getSubjectId())
        .setSeq(entry.getSeq())
        .setPrevHash(entry.getPrevHash())
        .setLedgerTime(entry.getLedgerTime())
        .setLedgerSeq(entry.getLedgerSeq())
        .setEvent(entry.getEvent())
        .setFacts(entry.getFacts())
        .build();
  }
}
