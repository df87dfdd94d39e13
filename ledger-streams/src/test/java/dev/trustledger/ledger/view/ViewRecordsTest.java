package dev.trustledger.ledger.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.View;
import dev.trustledger.ledger.sequencer.StateChanges;
import dev.trustledger.testutil.Fixtures;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class ViewRecordsTest {
  private static PrincipalState principal(String id) {
    return PrincipalState.newBuilder()
        .setId(id)
        .setKind(PrincipalKind.AGENT)
        .setPublicKey(ByteBuffer.wrap(new byte[32]))
        .setStatus(PrincipalStatus.ACTIVE)
        .setName(id)
        .setCreatedAt(1)
        .setChainSeq(0)
        .setChainHead(ByteBuffer.wrap(new byte[32]))
        .setChainLedgerSeq(0)
        .build();
  }

  private static LedgerHead head(long next) {
    return LedgerHead.newBuilder()
        .setPublicKey(ByteBuffer.wrap(new byte[32]))
        .setNextLedgerSeq(next)
        .setParameters(
            new dev.trustledger.ledger.config.LedgerConfig(
                    dev.trustledger.ledger.testkit.LedgerSetup.config(
                        "127.0.0.1:9", java.nio.file.Path.of("/tmp"), "views-test"))
                .parameters())
        .setParametersSince(0)
        .setChainSeq(0)
        .setChainHead(ByteBuffer.wrap(new byte[32]))
        .setTrees(List.of())
        .build();
  }

  @Test
  void aStepWritesOneViewPerChangedPrincipalInIdOrderTheLastComplete() {
    StateChanges changes =
        new StateChanges(
            head(8),
            Map.of("agt_b", principal("agt_b"), "agt_a", principal("agt_a")),
            List.of(),
            List.of());
    List<KeyValue<String, View>> views = ViewRecords.of(changes, true);
    assertThat(views).extracting(v -> v.key).containsExactly("agt_a", "agt_b");
    assertThat(views).extracting(v -> v.value.getLedgerSeq()).containsOnly(7L);
    assertThat(views).extracting(v -> v.value.getComplete()).containsExactly(false, true);
    assertThat(ViewRecords.of(changes, false)).as("no entries, no views").isEmpty();
  }

  @Test
  void aStepThatChangedNoPrincipalWritesTheHead() {
    StateChanges changes = new StateChanges(head(3), Map.of(), List.of(), List.of());
    List<KeyValue<String, View>> views = ViewRecords.of(changes, true);
    assertThat(views).hasSize(1);
    assertThat(views.get(0).key).isEqualTo(ViewRecords.HEAD_KEY);
    assertThat(views.get(0).value.getHead().getNextLedgerSeq()).isEqualTo(3);
    assertThat(views.get(0).value.getComplete()).isTrue();
  }

  @Test
  void onlyThisLedgersNodesCanWriteAView() {
    Serde<View> ours = ViewRecords.serde(Fixtures.key("ledger"));
    Serde<View> theirs = ViewRecords.serde(Fixtures.key("another-ledger"));
    View view = new View(4L, true, principal("agt_a"), null);
    byte[] bytes = ours.serializer().serialize("ledger.views", view);
    assertThat(ours.deserializer().deserialize("ledger.views", bytes)).isEqualTo(view);
    assertThat(theirs.deserializer().deserialize("ledger.views", bytes)).isNull();
    bytes[bytes.length / 2] ^= 1;
    assertThat(ours.deserializer().deserialize("ledger.views", bytes)).isNull();
  }
}
