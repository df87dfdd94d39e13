package dev.trustledger.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trustledger.avro.Severity;
import org.junit.jupiter.api.Test;

class TrustModelTest {
  private static final long T0 = 1_767_225_600_000L;
  private static final long DAY = 86_400_000L;
  private static final TrustParams P = TrustParams.DEFAULTS;

  @Test
  void newAgentScoresFiftyAndTwentyFiveAfterNinetyInactiveDays() {
    Evidence fresh = Evidence.registered(T0);
    assertThat(TrustModel.evaluate(fresh, T0, P).score()).isEqualTo(50);
    assertThat(TrustModel.evaluate(fresh, T0 + 90 * DAY, P).score()).isEqualTo(25);
  }

  @Test
  void queryBeforeTheEvidenceDoesNotInflateIt() {
    Evidence e =
        TrustModel.apply(
            Evidence.registered(T0), new Report(T0, 100, Severity.LOW, Weights.admin()), P);
    TrustView atReport = TrustModel.evaluate(e, T0, P);
    TrustView before = TrustModel.evaluate(e, T0 - 10 * DAY, P);
    assertThat(before.trust()).isCloseTo(atReport.trust(), within(1e-12));
  }

  @Test
  void relatedReporterAddsNoPositiveEvidence() {
    Evidence e =
        TrustModel.apply(
            Evidence.registered(T0), new Report(T0, 100, Severity.LOW, Weights.related()), P);
    assertThat(e.positive()).isZero();
    assertThat(e.positiveReports()).isEqualTo(1);
  }

  @Test
  void reporterWeightIsClampedToTheFloorAndOne() {
    assertThat(Weights.ofReporterTrust(0.01)).isEqualTo(new Weights(0.1, 0.1));
    assertThat(Weights.ofReporterTrust(1.5)).isEqualTo(new Weights(1.0, 1.0));
    assertThat(Weights.ofReporterTrust(0.42)).isEqualTo(new Weights(0.42, 0.42));
  }

  @Test
  void ratingOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> new Report(T0, 101, Severity.LOW, Weights.admin()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("101");
  }
}
