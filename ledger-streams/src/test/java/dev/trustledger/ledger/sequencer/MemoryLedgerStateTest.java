package dev.trustledger.ledger.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.ledger.avro.Decision;
import dev.trustledger.ledger.avro.DecisionStatus;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auditor's state answers dedupe questions as the node's window stores do, within a window. */
class MemoryLedgerStateTest {

  private static Decision decision(long t) {
    return Decision.newBuilder()
        .setEventHash(ByteBuffer.wrap(new byte[32]))
        .setStatus(DecisionStatus.ACCEPTED)
        .setLedgerTime(t)
        .build();
  }

  private static StateChanges remember(String key, long t) {
    return new StateChanges(
        null, Map.of(), List.of(), List.of(new StateChanges.Remembered(key, t, decision(t))));
  }

  @Test
  void aDecisionIsFoundOnlyWithinTheTimesAskedFor() {
    MemoryLedgerState state = new MemoryLedgerState();
    state.apply(remember(DecisionKeys.accepted("agt_x", "e1", "spn_s"), 100));
    assertThat(state.accepted("agt_x", "e1", "spn_s", 50, 150)).isPresent();
    assertThat(state.accepted("agt_x", "e1", "spn_s", 100, 100)).isPresent();
    assertThat(state.accepted("agt_x", "e1", "spn_s", 101, 200)).isEmpty();
    assertThat(state.accepted("agt_x", "e1", "spn_s", 0, 99)).isEmpty();
    assertThat(state.accepted("agt_x", "e2", "spn_s", 0, 200)).isEmpty();
    assertThat(state.accepted("agt_x", "e1", "spn_s", 150, 50)).isEmpty();
    assertThat(state.accepted("agt_x", "e1", "spn_other", 0, 200)).isEmpty();
  }

  @Test
  void theLatestOfSeveralDecisionsIsAnswered() {
    MemoryLedgerState state = new MemoryLedgerState();
    String key = DecisionKeys.interaction("agt_r", "agt_s", "i1");
    state.apply(remember(key, 100));
    state.apply(remember(key, 300));
    assertThat(state.interaction("agt_r", "agt_s", "i1", 0, 1000).orElseThrow().getLedgerTime())
        .isEqualTo(300);
    assertThat(state.interaction("agt_r", "agt_s", "i1", 0, 200).orElseThrow().getLedgerTime())
        .isEqualTo(100);
  }

  @Test
  void childrenAreInIdOrderWhateverTheOrderOfLinks() {
    MemoryLedgerState state = new MemoryLedgerState();
    state.apply(
        new StateChanges(
            null,
            Map.of(),
            List.of(new StateChanges.Link("p", "c"), new StateChanges.Link("p", "a")),
            List.of()));
    state.apply(
        new StateChanges(null, Map.of(), List.of(new StateChanges.Link("p", "b")), List.of()));
    assertThat(state.children("p")).containsExactly("a", "b", "c");
    assertThat(state.children("q")).isEmpty();
  }

  @Test
  void nothingIsThereBeforeTheGenesis() {
    MemoryLedgerState state = new MemoryLedgerState();
    assertThat(state.head()).isEmpty();
    assertThat(state.principal("agt_x")).isEmpty();
  }
}
