package dev.trustledger.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.testutil.Resources;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every tamper vector fails the audit with the problem it models; the valid log passes. */
class TamperVectorsTest {
  private static LedgerDriver ledger;

  @BeforeAll
  static void auditorKeys() {
    ledger = new LedgerDriver();
  }

  @AfterAll
  static void close() {
    ledger.close();
  }

  static Path file(String name) throws Exception {
    URL url = TamperVectorsTest.class.getResource("/" + TamperVectors.FOLDER + "/" + name);
    return Path.of(url.toURI());
  }

  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : Resources.json(TamperVectors.FOLDER + "/index.json").get("vectors")) {
      out.add(
          Arguments.of(
              v.get("file").asText(), v.get("desc").asText(), v.get("want_problem").asText()));
    }
    return out.stream();
  }

  @Test
  void untamperedLogPasses() throws Exception {
    AuditReport report = ledger.auditor().audit(ExportFile.read(file("valid.jsonl")));
    assertThat(report.problems()).isEmpty();
    assertThat(report.entries()).isEqualTo(13);
    assertThat(report.rejections()).isEqualTo(2);
    assertThat(report.checkpoints()).isPositive();
  }

  @Test
  void everyAttackHasAVector() {
    assertThat(vectors()).hasSize(15);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("vectors")
  void attackIsDetected(String file, String desc, String want) throws Exception {
    AuditReport report = ledger.auditor().audit(ExportFile.read(file(file)));
    assertThat(report.problems()).extracting(p -> p.kind().name()).as(desc).contains(want);
  }

  @Test
  void checkedInVectorsAreWhatTheGeneratorMakes() throws Exception {
    AuditLog valid = TamperVectors.validLog();
    AuditLog stored = ExportFile.read(file("valid.jsonl"));
    assertThat(stored.entries()).isEqualTo(valid.entries());
    assertThat(stored.checkpoints()).isEqualTo(valid.checkpoints());
    assertThat(stored.rejections()).isEqualTo(valid.rejections());
    assertThat(stored.inputs()).isEqualTo(valid.inputs());
  }
}
