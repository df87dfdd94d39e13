package dev.trustledger.ledger.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.avro.View;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadModelTest {
  private static final String SPONSOR = "spn_sponsor";
  private static final String AGENT = "agt_agent";
  private static final String SUB = "agt_sub";

  private static PrincipalState principal(
      String id, PrincipalKind kind, PrincipalStatus status, String sponsor, String parent) {
    return PrincipalState.newBuilder()
        .setId(id)
        .setKind(kind)
        .setPublicKey(ByteBuffer.wrap(new byte[32]))
        .setStatus(status)
        .setSponsorId(sponsor)
        .setParentAgentId(parent)
        .setName(id)
        .setCreatedAt(1)
        .setChainSeq(0)
        .setChainHead(ByteBuffer.wrap(new byte[32]))
        .setChainLedgerSeq(0)
        .setCapabilities(kind == PrincipalKind.AGENT ? List.of("docs:read") : List.of())
        .build();
  }

  private static PrincipalState sponsor(PrincipalStatus status) {
    return principal(SPONSOR, PrincipalKind.SPONSOR, status, null, null);
  }

  private static PrincipalState agent(String id, String parent, PrincipalStatus status) {
    return principal(id, PrincipalKind.AGENT, status, SPONSOR, parent);
  }

  private static View view(long seq, PrincipalState p) {
    return new View(seq, true, p, null);
  }

  /** A sponsor, its agent and the agent's sub-agent, at offsets 0..2 and ledger_seq 1..3. */
  private static ReadModel registered(int capacity) {
    ReadModel model = new ReadModel(capacity);
    model.apply(0, view(1, sponsor(PrincipalStatus.ACTIVE)));
    model.apply(1, view(2, agent(AGENT, null, PrincipalStatus.ACTIVE)));
    model.apply(2, view(3, agent(SUB, AGENT, PrincipalStatus.ACTIVE)));
    return model;
  }

  @Test
  void holdsPrincipalsChildrenAndTheSeqItReflects() {
    ReadModel model = registered(100);
    assertThat(model.principalCount()).isEqualTo(3);
    assertThat(model.ledgerSeq()).isEqualTo(3);
    assertThat(model.children(SPONSOR, null, 10)).containsExactly(AGENT, SUB);
    assertThat(model.children(SPONSOR, AGENT, 10)).containsExactly(SUB);
    assertThat(model.children(AGENT, null, 10)).containsExactly(SUB);
    assertThat(model.principals(null, 2))
        .extracting(PrincipalState::getId)
        .containsExactly(AGENT, SUB);
    assertThat(model.principals(SUB, 10))
        .extracting(PrincipalState::getId)
        .containsExactly(SPONSOR);
  }

  @Test
  void aViewThatIsNotTheLastOfItsStepDoesNotAdvanceTheSeq() {
    ReadModel model = registered(100);
    model.apply(3, new View(4L, false, agent(AGENT, null, PrincipalStatus.SUSPENDED), null));
    assertThat(model.ledgerSeq()).isEqualTo(3);
    model.apply(4, new View(4L, true, agent(SUB, AGENT, PrincipalStatus.REVOKED), null));
    assertThat(model.ledgerSeq()).isEqualTo(4);
  }

  @Test
  void aSponsorsSuspensionChangesTheEffectiveStatusOfEveryAgentBelowIt() {
    ReadModel model = registered(100);
    List<ReadModel.Change> changes = model.apply(3, view(4, sponsor(PrincipalStatus.SUSPENDED)));
    assertThat(changes).extracting(ReadModel.Change::id).containsExactly(SPONSOR, AGENT, SUB);
    assertThat(changes).allSatisfy(c -> assertThat(c.kinds()).contains(ReadModel.Kind.STATUS));
    assertThat(changes.get(2).status().status()).isEqualTo(PrincipalStatus.SUSPENDED);
    assertThat(changes.get(2).status().cause()).isEqualTo(SPONSOR);
    assertThat(changes).extracting(ReadModel.Change::index).containsExactly(0, 1, 2);

    List<ReadModel.Change> back = model.apply(4, view(5, sponsor(PrincipalStatus.ACTIVE)));
    assertThat(back).extracting(c -> c.status().status()).containsOnly(PrincipalStatus.ACTIVE);
  }

  @Test
  void aChangeOfTrustAloneIsATrustChangeAndTouchesNoOtherAgent() {
    ReadModel model = registered(100);
    PrincipalState reported = agent(AGENT, null, PrincipalStatus.ACTIVE);
    reported.setTrust(new dev.trustledger.avro.TrustState(1.0, 0.0, 5L, 5L, 1, 0));
    List<ReadModel.Change> changes = model.apply(3, view(4, reported));
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).kinds()).containsExactly(ReadModel.Kind.TRUST);
  }

  @Test
  void aSubscriberThatResumesWithinTheRecentChangesGetsEachLaterChangeOnce() {
    ReadModel model = registered(100);
    model.apply(3, view(4, sponsor(PrincipalStatus.SUSPENDED)));
    // Resume after the second change of the view at offset 3.
    try (ReadModel.Subscription s = model.subscribe(3, 1, c -> {})) {
      assertThat(s.backlog()).extracting(ReadModel.Change::id).containsExactly(SUB);
    }
    List<ReadModel.Change> live = new ArrayList<>();
    try (ReadModel.Subscription s = model.subscribe(1, Integer.MAX_VALUE, live::add)) {
      assertThat(s.backlog())
          .extracting(c -> c.offset() + "-" + c.index())
          .containsExactly("2-0", "3-0", "3-1", "3-2");
      model.apply(4, view(5, sponsor(PrincipalStatus.ACTIVE)));
    }
    assertThat(live)
        .extracting(c -> c.offset() + "-" + c.index())
        .containsExactly("4-0", "4-1", "4-2");
    model.apply(5, view(6, sponsor(PrincipalStatus.SUSPENDED)));
    assertThat(live).as("closed: no more").hasSize(3);
  }

  @Test
  void aSubscriberFromBeforeTheRecentChangesGetsTheLatestStateOfEachPrincipalOnce() {
    ReadModel model = registered(2);
    model.apply(3, view(4, agent(AGENT, null, PrincipalStatus.REVOKED)));
    model.apply(4, view(5, agent(SUB, AGENT, PrincipalStatus.REVOKED)));
    try (ReadModel.Subscription s = model.subscribe(-1, Integer.MAX_VALUE, c -> {})) {
      assertThat(s.backlog()).extracting(ReadModel.Change::id).containsExactly(SPONSOR, AGENT, SUB);
      assertThat(s.backlog()).extracting(ReadModel.Change::offset).containsExactly(0L, 3L, 4L);
      assertThat(s.backlog().get(1).state().getStatus()).isEqualTo(PrincipalStatus.REVOKED);
    }
  }

  @Test
  void aSubscriberFromBeforeTheRecentChangesGetsTheHeadFirst() {
    ReadModel model = new ReadModel(1);
    dev.trustledger.ledger.avro.LedgerHead head =
        dev.trustledger.ledger.avro.LedgerHead.newBuilder()
            .setPublicKey(ByteBuffer.wrap(new byte[32]))
            .setNextLedgerSeq(1)
            .setParameters(
                new dev.trustledger.ledger.config.LedgerConfig(
                        dev.trustledger.ledger.testkit.LedgerSetup.config(
                            "127.0.0.1:9", java.nio.file.Path.of("/tmp"), "read-model-test"))
                    .parameters())
            .setParametersSince(0)
            .setChainSeq(0)
            .setChainHead(ByteBuffer.wrap(new byte[32]))
            .setTrees(List.of())
            .build();
    model.apply(0, new View(0L, true, null, head));
    model.apply(1, view(1, sponsor(PrincipalStatus.ACTIVE)));
    model.apply(2, view(2, agent(AGENT, null, PrincipalStatus.ACTIVE)));
    try (ReadModel.Subscription s = model.subscribe(-1, Integer.MAX_VALUE, c -> {})) {
      assertThat(s.backlog()).extracting(ReadModel.Change::offset).containsExactly(0L, 1L, 2L);
      assertThat(s.backlog().get(0).kinds()).containsExactly(ReadModel.Kind.LEDGER);
      assertThat(s.backlog().get(0).head()).isEqualTo(head);
    }
  }

  @Test
  void aReadWaitsForTheSeqItNeedsAndGivesUpAtItsBound() throws Exception {
    ReadModel model = registered(100);
    assertThat(model.awaitLedgerSeq(3, 0)).isTrue();
    assertThat(model.awaitLedgerSeq(9, 50)).isFalse();
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return model.awaitLedgerSeq(4, 10_000);
              } catch (InterruptedException e) {
                return false;
              }
            });
    Thread.sleep(100);
    assertThat(waiting).isNotDone();
    model.apply(3, view(4, sponsor(PrincipalStatus.SUSPENDED)));
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
  }
}
