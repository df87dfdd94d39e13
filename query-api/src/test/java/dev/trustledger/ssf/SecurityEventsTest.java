package dev.trustledger.ssf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.lineage.Lineage;
import dev.trustledger.ledger.view.ReadModel;
import dev.trustledger.testutil.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityEventsTest {
  private static final Ed25519PrivateKey LEDGER = Fixtures.key("ssf-ledger");

  private static ReadModel.Change change(
      PrincipalStatus own, PrincipalStatus effective, String cause, long chainSeq) {
    PrincipalState p =
        PrincipalState.newBuilder()
            .setId("agt_x")
            .setKind(PrincipalKind.AGENT)
            .setPublicKey(ByteBuffer.wrap(new byte[32]))
            .setStatus(own)
            .setSponsorId("spn_y")
            .setName("x")
            .setCreatedAt(1)
            .setChainSeq(chainSeq)
            .setChainHead(ByteBuffer.wrap(new byte[32]))
            .setChainLedgerSeq(9)
            .build();
    return new ReadModel.Change(
        7,
        2,
        9,
        "agt_x",
        EnumSet.of(ReadModel.Kind.STATUS),
        p,
        new Lineage.Effective(effective, cause),
        List.of(),
        null);
  }

  @Test
  void statusChangesMapToRiscEventsAndRegistrationToNone() {
    assertThat(
            SecurityEvents.eventType(
                change(PrincipalStatus.REVOKED, PrincipalStatus.REVOKED, null, 2)))
        .contains(SecurityEvents.PURGED);
    assertThat(
            SecurityEvents.eventType(
                change(PrincipalStatus.ACTIVE, PrincipalStatus.SUSPENDED, "spn_y", 0)))
        .contains(SecurityEvents.DISABLED);
    assertThat(
            SecurityEvents.eventType(
                change(PrincipalStatus.ACTIVE, PrincipalStatus.ACTIVE, null, 3)))
        .contains(SecurityEvents.ENABLED);
    assertThat(
            SecurityEvents.eventType(
                change(PrincipalStatus.ACTIVE, PrincipalStatus.ACTIVE, null, 0)))
        .isEmpty();
  }

  @Test
  void aTokenIsAnEdDsaJwsOverItsClaimsWithADeterministicId() throws Exception {
    ReadModel.Change c = change(PrincipalStatus.REVOKED, PrincipalStatus.REVOKED, null, 2);
    String token =
        SecurityEvents.token(
            "urn:trustledger:ldg_z", "aud", "ldg_z", c, SecurityEvents.PURGED, 5_000, LEDGER);
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    assertThat(LEDGER.publicKey().verify(input, Base64Url.decode(parts[2]))).isTrue();
    assertThat(Fixtures.key("other").publicKey().verify(input, Base64Url.decode(parts[2])))
        .isFalse();
    JsonNode claims = new ObjectMapper().readTree(Base64Url.decode(parts[1]));
    assertThat(claims.path("jti").asText()).isEqualTo("ldg_z:7-2");
    assertThat(claims.path("iat").asLong()).isEqualTo(5);
    assertThat(claims.path("sub_id").path("id").asText()).isEqualTo("agt_x");
    assertThat(claims.path("events").has(SecurityEvents.PURGED)).isTrue();
  }
}
