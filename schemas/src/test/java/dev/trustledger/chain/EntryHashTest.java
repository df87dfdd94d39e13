package dev.trustledger.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.EntryFacts;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.UnhashedLedgerEntry;
import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.testutil.SampleEvents;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EntryHashTest {
  static LedgerEntry entry(long seq, byte[] prev, SignedEvent event) {
    return EntryHash.seal(
        UnhashedLedgerEntry.newBuilder()
            .setSubjectId(event.getSubjectId())
            .setSeq(seq)
            .setPrevHash(ByteBuffer.wrap(prev))
            .setLedgerTime(SampleEvents.T0 + 10)
            .setLedgerSeq(0)
            .setEvent(event)
            .setFacts(
                EntryFacts.newBuilder()
                    .setSignerPublicKey(ByteBuffer.wrap(SampleEvents.SPONSOR.publicKey().raw()))
                    .setSignerKind(PrincipalKind.SPONSOR)
                    .setStatusAfter(PrincipalStatus.ACTIVE)
                    .build())
            .build());
  }

  private final LedgerEntry entry = entry(0, EntryHash.genesis(), SampleEvents.agentRegistration());

  @Test
  void entryHashIsDomainSeparatedSha256OfTheUnhashedEntry() {
    byte[] expected = Sha256.hash(Domain.ENTRY, AvroBinary.encode(EntryHash.unhashed(entry)));
    assertThat(Buffers.toArray(entry.getEntryHash())).isEqualTo(expected);
    assertThat(EntryHash.verify(entry)).isTrue();
  }

  @Test
  void unhashedEncodingIsAPrefixOfTheEntryEncoding() {
    byte[] full = AvroBinary.encode(entry);
    byte[] unhashed = AvroBinary.encode(EntryHash.unhashed(entry));
    assertThat(Arrays.copyOf(full, unhashed.length)).isEqualTo(unhashed);
  }

  @Test
  void changedSeqIsDetected() {
    assertThat(EntryHash.verify(LedgerEntry.newBuilder(entry).setSeq(1).build())).isFalse();
  }

  @Test
  void changedPrevHashIsDetected() {
    byte[] prev = EntryHash.genesis();
    prev[31] = 1;
    assertThat(
            EntryHash.verify(
                LedgerEntry.newBuilder(entry).setPrevHash(ByteBuffer.wrap(prev)).build()))
        .isFalse();
  }

  @Test
  void changedEventFieldIsDetected() {
    SignedEvent event =
        SignedEvent.newBuilder((SignedEvent) entry.getEvent()).setEventId("other").build();
    assertThat(EntryHash.verify(LedgerEntry.newBuilder(entry).setEvent(event).build())).isFalse();
  }

  @Test
  void changedRecordedFactIsDetected() {
    EntryFacts facts =
        EntryFacts.newBuilder(entry.getFacts()).setStatusAfter(PrincipalStatus.REVOKED).build();
    assertThat(EntryHash.verify(LedgerEntry.newBuilder(entry).setFacts(facts).build())).isFalse();
  }

  @Test
  void wrongPrefixGivesAnotherHash() {
    byte[] withKeyPrefix = Sha256.hash(Domain.KEY, AvroBinary.encode(EntryHash.unhashed(entry)));
    assertThat(withKeyPrefix).isNotEqualTo(EntryHash.compute(entry));
  }

  @Test
  void leafDataIsTheEntrysAvroBinaryAndSealingMakesItOnce() {
    EntryHash.Sealed sealed = EntryHash.sealed(EntryHash.unhashed(entry));
    assertThat(sealed.entry()).isEqualTo(entry);
    assertThat(sealed.leafData()).isEqualTo(AvroBinary.encode(entry));
    assertThat(EntryHash.leafData(entry)).isEqualTo(sealed.leafData());
  }
}
