package dev.trustledger.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Hex;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testutil.Resources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The worked example of schemas/README.md is what the code computes, byte for byte. */
class WorkedExampleTest {
  private final JsonNode stored = Resources.json(WorkedExample.RESOURCE);

  @Test
  void storedExampleEqualsTheComputedOne() {
    assertThat(stored).isEqualTo(WorkedExample.compute());
  }

  @Test
  void signingBytesStartWithTheEventPrefixAndVerify() {
    byte[] signingBytes = Hex.decode(stored.get("signing_bytes").asText());
    assertThat(new String(signingBytes, 0, 21, StandardCharsets.UTF_8))
        .isEqualTo("trustledger/v1/event\n");
    Ed25519PublicKey admin =
        Ed25519PublicKey.of(Hex.decode(stored.get("admin_public_key").asText()));
    assertThat(admin.verify(signingBytes, Hex.decode(stored.get("signature").asText()))).isTrue();
  }

  @Test
  void storedSingleObjectBytesDecode() throws Exception {
    SignedEvent event =
        SingleObjectFormat.<SignedEvent>of(SignedEvent.getClassSchema())
            .decode("ledger.events", Hex.decode(stored.get("signed_event_single_object").asText()));
    assertThat(event.getEventId()).isEqualTo("evt-1");
  }

  @Test
  void checkpointNoteVerifiesWithTheLedgerKey() throws Exception {
    NoteKey key =
        new NoteKey(
            stored.get("note_key_name").asText(),
            Ed25519PublicKey.of(Hex.decode(stored.get("ledger_public_key").asText())));
    assertThat(key.verify(stored.get("checkpoint_note").asText()).size()).isEqualTo(1);
  }

  @Test
  void readmeQuotesTheStoredValues() throws Exception {
    Path readme = Path.of("README.md");
    String text = Files.readString(readme).replaceAll("\\s+", "");
    for (String field :
        new String[] {"signing_bytes", "signature", "entry_hash", "leaf_hash", "sponsor_id"}) {
      assertThat(text)
          .as("schemas/README.md quotes %s", field)
          .contains(stored.get(field).asText());
    }
  }
}
