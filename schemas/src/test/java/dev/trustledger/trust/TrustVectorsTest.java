package dev.trustledger.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.Severity;
import dev.trustledger.testutil.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector of every {@code *.json} file in {@code vectors/trust/}: drop in a file, it is
 * tested. Queries see every report with {@code t <= at}, reports first at equal times.
 */
class TrustVectorsTest {
  private static final String FOLDER = "vectors/trust";

  static Stream<Arguments> vectors() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (Path file : Resources.files(FOLDER, ".json")) {
      JsonNode root = Resources.JSON.readTree(file.toFile());
      for (JsonNode vector : root.get("vectors")) {
        out.add(Arguments.of(file.getFileName().toString(), vector.get("desc").asText(), vector));
      }
    }
    return out.stream();
  }

  @Test
  void folderHasVectors() throws IOException {
    assertThat(vectors()).hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("vectors")
  void matchesVector(String file, String desc, JsonNode vector) {
    JsonNode p = vector.get("params");
    TrustParams params =
        new TrustParams(
            p.get("evidence_half_life_ms").asLong(),
            p.get("inactivity_half_life_ms").asLong(),
            p.get("prior").asDouble(),
            p.get("prior_weight").asDouble());
    long registeredAt = vector.get("registered_at").asLong();
    assertThat(vector.get("queries")).isNotEmpty();
    for (JsonNode query : vector.get("queries")) {
      long at = query.get("at").asLong();
      Evidence evidence = Evidence.registered(registeredAt);
      for (JsonNode report : vector.get("reports")) {
        if (report.get("t").asLong() <= at) {
          evidence = TrustModel.apply(evidence, report(report), params);
        }
      }
      TrustView view = TrustModel.evaluate(evidence, at, params);
      String where = desc + " at " + at;
      assertThat(view.trust()).as(where).isCloseTo(query.get("trust").asDouble(), within(1e-9));
      assertThat(view.confidence())
          .as(where)
          .isCloseTo(query.get("confidence").asDouble(), within(1e-9));
      assertThat(view.score()).as(where).isEqualTo(query.get("trust_score").asInt());
    }
  }

  private static Report report(JsonNode r) {
    return new Report(
        r.get("t").asLong(),
        r.get("rating").asInt(),
        Severity.valueOf(r.get("severity").asText()),
        new Weights(r.get("positive_weight").asDouble(), r.get("negative_weight").asDouble()));
  }
}
