package dev.trustledger.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trustledger.avro.Severity;
import org.junit.jupiter.api.Test;

/** The bounds on what one reporter and one sponsor's tree can do to an agent's trust. */
class ReportBoundsTest {
  private static final long T = 1_767_225_600_000L;
  private static final long DAY = 86_400_000L;
  private static final TrustParams P = TrustParams.DEFAULTS;

  @Test
  void theKthReportOfAReporterWithinAnInstantWeighsOneKth() {
    Tally reporter = null;
    Tally tree = null;
    for (int k = 1; k <= 5; k++) {
      ReportBounds.Bounded b =
          ReportBounds.apply(
              new Weights(1, 1),
              100,
              Severity.LOW,
              T,
              "agt_r",
              reporter,
              "spn_big",
              tree,
              new TrustParams(30 * DAY, 90 * DAY, 0.5, 2.0, 1000));
      assertThat(b.weights().positive()).isCloseTo(1.0 / k, within(1e-12));
      reporter = b.reporter();
      tree = b.tree();
    }
    assertThat(reporter.value()).isEqualTo(5.0);
  }

  @Test
  void theCountDecaysWithTheEvidenceHalfLife() {
    Tally reporter = new Tally("agt_r", 1, T);
    ReportBounds.Bounded later =
        ReportBounds.apply(
            new Weights(1, 1),
            100,
            Severity.LOW,
            T + 30 * DAY,
            "agt_r",
            reporter,
            "spn_t",
            null,
            new TrustParams(30 * DAY, 90 * DAY, 0.5, 2.0, 1000));
    // One report a half-life ago counts as one half: the next weighs 1 / 1.5.
    assertThat(later.weights().positive()).isCloseTo(1 / 1.5, within(1e-12));
  }

  @Test
  void aTreeAddsAtMostTheCapOfEvidence() {
    Tally tree = null;
    double added = 0;
    for (int i = 0; i < 20; i++) {
      ReportBounds.Bounded b =
          ReportBounds.apply(
              Weights.ofReporterTrust(1.0),
              0,
              Severity.CRITICAL,
              T,
              "agt_" + i,
              null,
              "spn_griefer",
              tree,
              P);
      added += b.weights().negative() * 8;
      tree = b.tree();
    }
    assertThat(added).isCloseTo(P.treeEvidenceCap(), within(1e-12));
    assertThat(tree.value()).isCloseTo(P.treeEvidenceCap(), within(1e-12));
  }

  @Test
  void theTreesRoomComesBackAsItsEvidenceDecays() {
    Tally full = new Tally("spn_t", P.treeEvidenceCap(), T);
    ReportBounds.Bounded now =
        ReportBounds.apply(new Weights(1, 1), 0, Severity.LOW, T, "agt_r", null, "spn_t", full, P);
    assertThat(now.weights().negative()).isZero();
    ReportBounds.Bounded later =
        ReportBounds.apply(
            new Weights(1, 1), 0, Severity.LOW, T + 30 * DAY, "agt_r", null, "spn_t", full, P);
    assertThat(later.weights().negative()).isCloseTo(P.treeEvidenceCap() / 2, within(1e-12));
  }

  @Test
  void aReportThatAddsNothingKeepsItsWeights() {
    ReportBounds.Bounded b =
        ReportBounds.apply(
            Weights.related(),
            100,
            Severity.LOW,
            T,
            "agt_r",
            null,
            "spn_t",
            new Tally("spn_t", 100, T),
            P);
    assertThat(b.weights()).isEqualTo(Weights.related());
  }
}
