package dev.trustledger.topic;

import dev.trustledger.avro.KeyRecord;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.UnsignedKeyRecord;
import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.serde.AvroBinary;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Key records of {@code ledger.keys}: signed by the ledger's key, and checked before a node's
 * verify stage uses them (docs/spec.md section 7.5). A record that anyone but the ledger wrote, or
 * whose id is not the id of its key (of its first key, after a rotation), is refused.
 */
public final class KeyRecords {
  private KeyRecords() {}

  /** The record giving {@code principalId} the key {@code publicKey} (null: no key any more). */
  public static KeyRecord sign(
      String principalId, byte[] publicKey, long ledgerSeq, Ed25519PrivateKey ledgerKey) {
    return sign(principalId, publicKey, null, ledgerSeq, ledgerKey);
  }

  /**
   * The record giving {@code principalId} the key {@code publicKey} (null: no key any more), with
   * {@code firstPublicKey}, the key its id derives from, when the key was rotated (else null).
   */
  public static KeyRecord sign(
      String principalId,
      byte[] publicKey,
      byte[] firstPublicKey,
      long ledgerSeq,
      Ed25519PrivateKey ledgerKey) {
    UnsignedKeyRecord unsigned =
        UnsignedKeyRecord.newBuilder()
            .setPrincipalId(principalId)
            .setPublicKey(publicKey == null ? null : ByteBuffer.wrap(publicKey))
            .setLedgerSeq(ledgerSeq)
            .setFirstPublicKey(firstPublicKey == null ? null : ByteBuffer.wrap(firstPublicKey))
            .build();
    return KeyRecord.newBuilder()
        .setPrincipalId(principalId)
        .setPublicKey(unsigned.getPublicKey())
        .setLedgerSeq(ledgerSeq)
        .setFirstPublicKey(unsigned.getFirstPublicKey())
        .setSignature(ByteBuffer.wrap(ledgerKey.sign(signingBytes(unsigned))))
        .build();
  }

  /**
   * Why {@code record} must not be used, or empty when the ledger signed it and its id derives from
   * its key.
   */
  public static Optional<String> problem(KeyRecord record, Ed25519PublicKey ledgerKey) {
    UnsignedKeyRecord unsigned =
        UnsignedKeyRecord.newBuilder()
            .setPrincipalId(record.getPrincipalId())
            .setPublicKey(record.getPublicKey())
            .setLedgerSeq(record.getLedgerSeq())
            .setFirstPublicKey(record.getFirstPublicKey())
            .build();
    if (!ledgerKey.verify(signingBytes(unsigned), Buffers.toArray(record.getSignature()))) {
      return Optional.of("not signed by the ledger's key");
    }
    Optional<PrincipalKind> kind = PrincipalIds.kindOf(record.getPrincipalId());
    if (kind.isEmpty()) {
      return Optional.of("'" + record.getPrincipalId() + "' is not a principal id");
    }
    byte[] key = Buffers.toArray(record.getPublicKey());
    byte[] first = Buffers.toArray(record.getFirstPublicKey());
    if (first != null && !PrincipalIds.matches(record.getPrincipalId(), kind.get(), first)) {
      return Optional.of(record.getPrincipalId() + " is not the id of the first key it names");
    }
    if (first == null
        && key != null
        && !PrincipalIds.matches(record.getPrincipalId(), kind.get(), key)) {
      return Optional.of(record.getPrincipalId() + " is not the id of the key it names");
    }
    return Optional.empty();
  }

  private static byte[] signingBytes(UnsignedKeyRecord unsigned) {
    return Domain.KEY.prefix(AvroBinary.encode(unsigned));
  }
}
