package dev.trustledger.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.KeyRecord;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Signer;
import dev.trustledger.testutil.Fixtures;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Key records count only when the ledger signed them and their id is their key's. */
class KeyRecordsTest {
  private static final Ed25519PrivateKey LEDGER = Fixtures.key("ledger");
  private static final Ed25519PrivateKey BOT = Fixtures.key("bot");
  private static final String BOT_ID = Signer.agent(BOT).id();

  @Test
  void aRecordTheLedgerSignedForTheKeysOwnIdIsGood() {
    KeyRecord r = KeyRecords.sign(BOT_ID, BOT.publicKey().raw(), 7, LEDGER);
    assertThat(KeyRecords.problem(r, LEDGER.publicKey())).isEmpty();
    assertThat(KeyRecords.problem(KeyRecords.sign(BOT_ID, null, 8, LEDGER), LEDGER.publicKey()))
        .isEmpty();
  }

  @Test
  void aRecordSignedByAnyoneElseIsRefused() {
    KeyRecord r = KeyRecords.sign(BOT_ID, BOT.publicKey().raw(), 7, BOT);
    assertThat(KeyRecords.problem(r, LEDGER.publicKey()))
        .contains("not signed by the ledger's key");
  }

  @Test
  void aRecordWhoseIdIsNotItsKeysIsRefused() {
    KeyRecord r = KeyRecords.sign(BOT_ID, Fixtures.key("mallory").publicKey().raw(), 7, LEDGER);
    assertThat(KeyRecords.problem(r, LEDGER.publicKey()))
        .hasValueSatisfying(p -> assertThat(p).contains("not the id of the key"));
  }

  @Test
  void aRotatedKeyIsGoodWhenTheIdIsItsFirstKeys() {
    byte[] rotated = Fixtures.key("bot-2").publicKey().raw();
    KeyRecord good = KeyRecords.sign(BOT_ID, rotated, BOT.publicKey().raw(), 9, LEDGER);
    assertThat(KeyRecords.problem(good, LEDGER.publicKey())).isEmpty();
    KeyRecord wrongFirst =
        KeyRecords.sign(BOT_ID, rotated, Fixtures.key("mallory").publicKey().raw(), 9, LEDGER);
    assertThat(KeyRecords.problem(wrongFirst, LEDGER.publicKey()))
        .hasValueSatisfying(p -> assertThat(p).contains("not the id of the first key"));
    KeyRecord changedFirst =
        KeyRecord.newBuilder(good)
            .setFirstPublicKey(ByteBuffer.wrap(Fixtures.key("mallory").publicKey().raw()))
            .build();
    assertThat(KeyRecords.problem(changedFirst, LEDGER.publicKey())).isPresent();
  }

  @Test
  void aChangedFieldBreaksTheSignature() {
    KeyRecord r = KeyRecords.sign(BOT_ID, BOT.publicKey().raw(), 7, LEDGER);
    KeyRecord changed = KeyRecord.newBuilder(r).setLedgerSeq(8).build();
    assertThat(KeyRecords.problem(changed, LEDGER.publicKey())).isPresent();
    KeyRecord removed = KeyRecord.newBuilder(r).setPublicKey((ByteBuffer) null).build();
    assertThat(KeyRecords.problem(removed, LEDGER.publicKey())).isPresent();
  }
}
