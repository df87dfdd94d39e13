package dev.trustledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client computes trust at query time as the ledger does (docs/spec.md section 8). */
class TrustFormulaTest {

  @Test
  void evidenceFreeVectorsScoreTheDecayedPrior() throws Exception {
    JsonNode vectors;
    try (InputStream in = getClass().getResourceAsStream("/vectors/trust/trust_v1.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
    int checked = 0;
    for (JsonNode v : vectors.path("vectors")) {
      if (!v.path("reports").isEmpty()) {
        continue;
      }
      JsonNode p = v.path("params");
      TrustClient.Params params =
          new TrustClient.Params(
              p.path("prior").asDouble(),
              p.path("prior_weight").asDouble(),
              p.path("evidence_half_life_ms").asLong(),
              p.path("inactivity_half_life_ms").asLong());
      long registered = v.path("registered_at").asLong();
      TrustClient.Agent agent =
          new TrustClient.Agent(
              "agt_x", "active", new byte[32], null, Set.of(), null, 0, 0, registered, registered);
      for (JsonNode q : v.path("queries")) {
        double trust = TrustClient.trust(agent, q.path("at").asLong(), params);
        assertThat(trust)
            .as(v.path("desc").asText())
            .isCloseTo(q.path("trust").asDouble(), within(1e-9));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aRevokedAgentHasNoTrust() {
    TrustClient.Params params = new TrustClient.Params(0.5, 2, 1000, 1000);
    TrustClient.Agent agent =
        new TrustClient.Agent("agt_x", "revoked", new byte[32], null, Set.of(), null, 9, 0, 0, 0);
    assertThat(TrustClient.trust(agent, 0, params)).isZero();
  }
}
