package dev.trustledger.ledger.sequencer;

import static dev.trustledger.ledger.sequencer.MemoryLedger.T;
import static dev.trustledger.ledger.testkit.Cast.agentId;
import static dev.trustledger.ledger.testkit.Cast.key;
import static dev.trustledger.ledger.testkit.Cast.registerAgent;
import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static dev.trustledger.ledger.testkit.Cast.registerSubAgent;
import static dev.trustledger.ledger.testkit.Cast.sponsorId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trustledger.avro.DerivedEvent;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.chain.EntryHash;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.id.PrincipalIds;
import dev.trustledger.ledger.avro.TreeState;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.merkle.MemoryTree;
import dev.trustledger.serde.AvroBinary;
import dev.trustledger.topic.EntryPartitions;
import dev.trustledger.trust.Evidence;
import dev.trustledger.trust.TrustModel;
import dev.trustledger.trust.Weights;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The step, without Kafka: the genesis, chains, ledger order, partitions, cascades, parameters. */
class StepTest {

  private static SignedEvent report(
      Signer reporter, String subject, String interaction, int rating) {
    return Events.report(agentId(subject), interaction, rating, Severity.MEDIUM, "quality")
        .eventId("rep-" + interaction)
        .issuedAt(T)
        .sign(reporter);
  }

  private static MemoryLedger withTree() {
    return MemoryLedger.started()
        .accept(
            T,
            registerSponsor("acme", T),
            registerAgent("root", "acme", T),
            registerSubAgent("child", "root", "acme", T),
            registerSubAgent("grandchild", "child", "acme", T),
            registerAgent("sibling", "acme", T));
  }

  @Test
  void nothingIsDecidedBeforeTheGenesis() {
    MemoryLedger empty = new MemoryLedger();
    assertThatThrownBy(() -> empty.publish(registerSponsor("acme", T), T))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("genesis");
  }

  @Test
  void genesisIsTheFirstEntryOfTheLedgersOwnChain() {
    MemoryLedger ledger = MemoryLedger.started();
    LedgerEntry genesis = ledger.entries.get(0);
    assertThat(genesis.getLedgerSeq()).isZero();
    assertThat(genesis.getSeq()).isZero();
    assertThat(genesis.getSubjectId())
        .isEqualTo(PrincipalIds.of(PrincipalKind.LEDGER, LedgerDriver.LEDGER_KEY.publicKey().raw()))
        .startsWith("ldg_");
    assertThat(genesis.getFacts().getSignerKind()).isEqualTo(PrincipalKind.LEDGER);
    LedgerGenesis payload = (LedgerGenesis) ((SignedEvent) genesis.getEvent()).getPayload();
    assertThat(payload.getParameters()).isEqualTo(MemoryLedger.parameters());
    assertThat(ledger.head().getParameters()).isEqualTo(MemoryLedger.parameters());
    assertThat(ledger.head().getParametersSince()).isZero();
    assertThat(ledger.head().getNextLedgerSeq()).isEqualTo(1);
    // The ledger's own key and the admins' are published for the verify stage.
    assertThat(ledger.steps.get(0).keys())
        .extracting(Step.KeyUpdate::principalId)
        .containsExactly(genesis.getSubjectId(), Signer.admin(LedgerDriver.ADMIN).id());
  }

  @Test
  void genesisSignedByAnotherKeyIsRefused() {
    MemoryLedger empty = new MemoryLedger();
    Ed25519PrivateKey other = key("other-ledger");
    SignedEvent genesis =
        Events.genesis(LedgerDriver.LEDGER_KEY.publicKey(), MemoryLedger.parameters())
            .issuedAt(T)
            .sign(Signer.ledger(LedgerDriver.LEDGER_KEY), LedgerDriver.LEDGER_KEY);
    SignedEvent forged =
        dev.trustledger.event.EventSigning.sign(
            dev.trustledger.event.SigningBytes.unsigned(genesis), other, LedgerDriver.LEDGER_KEY);
    Step step = empty.step(new Input.Event(null, genesis.getSubjectId(), forged, null, T));
    assertThat(empty.rejection(step).getReason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(empty.state.head()).isEmpty();
  }

  @Test
  void everyEntryContinuesItsChainAndTheLedgersOrder() {
    MemoryLedger ledger = withTree();
    Signer admin = Signer.admin(LedgerDriver.ADMIN);
    for (int i = 0; i < 20; i++) {
      ledger.accept(T + 10 + i, report(admin, i % 2 == 0 ? "root" : "sibling", "i" + i, 5 * i));
    }
    assertThat(ledger.entries)
        .extracting(LedgerEntry::getLedgerSeq)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.range(0, ledger.entries.size()).boxed().toList());
    Map<String, LedgerEntry> last = new TreeMap<>();
    for (LedgerEntry e : ledger.entries) {
      LedgerEntry prev = last.get(e.getSubjectId());
      assertThat(e.getSeq()).isEqualTo(prev == null ? 0 : prev.getSeq() + 1);
      assertThat(e.getPrevHash())
          .isEqualTo(prev == null ? ByteBuffer.wrap(new byte[32]) : prev.getEntryHash());
      assertThat(EntryHash.verify(e)).isTrue();
      last.put(e.getSubjectId(), e);
    }
    assertThat(ledger.principal(agentId("root")).getChainHead())
        .isEqualTo(last.get(agentId("root")).getEntryHash());
  }

  @Test
  void eachEntryGoesToItsSubjectsPartitionAndIsTheNextLeafOfTheTree() {
    MemoryLedger ledger = withTree();
    MemoryTree tree = new MemoryTree();
    Map<Integer, Integer> byPartition = new TreeMap<>();
    for (Step step : ledger.steps) {
      for (Step.Placed p : step.entries()) {
        assertThat(p.partition()).isEqualTo(EntryPartitions.of(p.entry().getSubjectId(), 3));
        byPartition.merge(p.partition(), 1, Integer::sum);
        assertThat(p.entry().getLedgerSeq()).isEqualTo(tree.size());
        tree.appendData(AvroBinary.encode(p.entry()));
      }
    }
    assertThat(byPartition).hasSizeGreaterThan(1);
    TreeState state = ledger.head().getTrees().get(0);
    assertThat(state.getSize()).isEqualTo(tree.size()).isEqualTo(ledger.entries.size());
    assertThat(TreeStates.root(state)).isEqualTo(tree.root(tree.size()));
    assertThat(state.getFrontier()).hasSize(Long.bitCount(tree.size()));
  }

  @Test
  void theFrontierAloneGivesTheRootAfterEveryStep() {
    MemoryLedger ledger = withTree();
    MemoryTree tree = new MemoryTree();
    for (LedgerEntry e : ledger.entries) {
      tree.appendData(AvroBinary.encode(e));
    }
    // Sizes 1 .. n: the step's own frontier after each of its steps matches the full tree.
    long size = 0;
    for (Step step : ledger.steps) {
      size += step.entries().size();
      if (step.changes().head() != null) {
        assertThat(TreeStates.root(step.changes().head().getTrees().get(0)))
            .as("root after %d entries", size)
            .isEqualTo(tree.root(size));
      }
    }
  }

  @Test
  void revokingAnAgentRevokesItsSubAgentsByDerivedEntriesNamingTheCause() {
    MemoryLedger ledger = withTree();
    Step step =
        ledger.publish(
            Events.revoke(agentId("root"), "compromised")
                .eventId("rv")
                .issuedAt(T)
                .sign(Signer.sponsor(key("acme"))),
            T + 10);
    assertThat(step.entries())
        .extracting(p -> p.entry().getSubjectId())
        .containsExactly(agentId("root"), agentId("child"), agentId("grandchild"));
    LedgerEntry cause = step.entries().get(0).entry();
    for (Step.Placed p : step.entries().subList(1, 3)) {
      DerivedEvent derived = (DerivedEvent) p.entry().getEvent();
      assertThat(derived.getCauseHash()).isEqualTo(cause.getEntryHash());
      assertThat(derived.getCauseSeq()).isEqualTo(cause.getSeq());
      assertThat(p.entry().getFacts().getStatusAfter()).isEqualTo(PrincipalStatus.REVOKED);
      assertThat(ledger.principal(p.entry().getSubjectId()).getStatus())
          .isEqualTo(PrincipalStatus.REVOKED);
    }
    assertThat(ledger.principal(agentId("sibling")).getStatus()).isEqualTo(PrincipalStatus.ACTIVE);
  }

  @Test
  void revokingWithoutCascadeLeavesSubAgentsAlone() {
    MemoryLedger ledger = withTree();
    Step step =
        ledger.publish(
            Events.revoke(agentId("root"), "alone", false)
                .eventId("rv")
                .issuedAt(T)
                .sign(Signer.sponsor(key("acme"))),
            T + 10);
    assertThat(step.entries()).hasSize(1);
    assertThat(ledger.principal(agentId("child")).getStatus()).isEqualTo(PrincipalStatus.ACTIVE);
  }

  @Test
  void revokingASponsorRevokesEveryAgentItAnswersFor() {
    MemoryLedger ledger = withTree();
    Step step =
        ledger.publish(
            Events.revokeSponsor(sponsorId("acme"), "closed")
                .eventId("rs")
                .issuedAt(T)
                .sign(Signer.admin(LedgerDriver.ADMIN)),
            T + 10);
    assertThat(step.entries()).hasSize(5);
    for (String a : List.of("root", "child", "grandchild", "sibling")) {
      assertThat(ledger.principal(agentId(a)).getStatus()).isEqualTo(PrincipalStatus.REVOKED);
    }
  }

  @Test
  void alreadyRevokedSubAgentsGetNoSecondRevocation() {
    MemoryLedger ledger = withTree();
    ledger.accept(
        T + 5,
        Events.revoke(agentId("child"), "first")
            .eventId("rv-child")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme"))));
    Step step =
        ledger.publish(
            Events.revoke(agentId("root"), "then")
                .eventId("rv-root")
                .issuedAt(T)
                .sign(Signer.sponsor(key("acme"))),
            T + 10);
    assertThat(step.entries())
        .extracting(p -> p.entry().getSubjectId())
        .containsExactly(agentId("root"));
  }

  @Test
  void anEventIdTakenByAnotherSignerDoesNotBlockAnEvent() {
    // Squatting: another sponsor's agent sends a report about root under the id the sponsor will
    // use for its revocation. Event ids are the signer's own: the revocation is decided on its own.
    MemoryLedger ledger =
        withTree().accept(T, registerSponsor("globex", T), registerAgent("squatter", "globex", T));
    SignedEvent squat =
        Events.report(agentId("root"), "x", 50, Severity.LOW, "q")
            .eventId("revoke-root-1")
            .issuedAt(T)
            .sign(Signer.agent(key("squatter")));
    assertThat(ledger.publish(squat, T + 10).accepted()).isTrue();
    SignedEvent revoke =
        Events.revoke(agentId("root"), "leaked")
            .eventId("revoke-root-1")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")));
    assertThat(ledger.publish(revoke, T + 20).accepted()).isTrue();
    assertThat(ledger.principal(agentId("root")).getStatus()).isEqualTo(PrincipalStatus.REVOKED);
    // The same signer reusing its id is refused (the dedupe check comes before the rules).
    SignedEvent reuse =
        Events.report(agentId("root"), "y", 10, Severity.LOW, "q")
            .eventId("revoke-root-1")
            .issuedAt(T)
            .sign(Signer.agent(key("squatter")));
    var rejected = ledger.rejection(ledger.publish(reuse, T + 30));
    assertThat(rejected.getReason()).isEqualTo(RejectionReason.DUPLICATE_EVENT);
    assertThat(rejected.getDuplicateOf().getSubjectId()).isEqualTo(agentId("root"));
  }

  @Test
  void anEventIdReusedBySameSignerWithOtherContentIsADuplicateSaidToDiffer() {
    MemoryLedger ledger = withTree();
    Signer admin = Signer.admin(LedgerDriver.ADMIN);
    ledger.accept(T + 10, report(admin, "root", "a", 50));
    SignedEvent other =
        Events.report(agentId("root"), "b", 90, Severity.LOW, "q")
            .eventId("rep-a")
            .issuedAt(T)
            .sign(admin);
    var rejected = ledger.rejection(ledger.publish(other, T + 20));
    assertThat(rejected.getReason()).isEqualTo(RejectionReason.DUPLICATE_EVENT);
    assertThat(rejected.getDetail()).endsWith("with other content");
  }

  @Test
  void oneSponsorCannotSinkAnotherSponsorsAgent() {
    // The victim earns a score of about 64 from an admin's reports; then an unrelated sponsor and
    // its agents send twenty critical ratings of 0, each about a new interaction.
    MemoryLedger ledger = withTree().accept(T, registerSponsor("griefer", T));
    for (int i = 0; i < 5; i++) {
      ledger.accept(T + i, registerAgent("troll" + i, "griefer", T));
    }
    Signer admin = Signer.admin(LedgerDriver.ADMIN);
    ledger.accept(T + 10, report(admin, "sibling", "good-1", 100));
    long t = T + 20;
    var params = ledger.sequencer.parameters(ledger.head()).trust();
    int before =
        TrustModel.evaluate(Evidence.of(ledger.principal(agentId("sibling")).getTrust()), t, params)
            .score();
    assertThat(before).isBetween(60, 70);
    for (int i = 0; i < 20; i++) {
      Signer griefer =
          i % 2 == 0 ? Signer.sponsor(key("griefer")) : Signer.agent(key("troll" + (i % 5)));
      SignedEvent grief =
          Events.report(agentId("sibling"), "grief-" + i, 0, Severity.CRITICAL, "sabotage")
              .eventId("grief-" + i)
              .issuedAt(T)
              .sign(griefer);
      assertThat(ledger.publish(grief, t + i).accepted()).isTrue();
    }
    int after =
        TrustModel.evaluate(
                Evidence.of(ledger.principal(agentId("sibling")).getTrust()), t + 20, params)
            .score();
    System.out.printf("griefing: effective score %d before, %d after 20 reports%n", before, after);
    assertThat(after).isGreaterThanOrEqualTo(50).isLessThan(before);
    // The weights the bounds allowed are the ones recorded: the auditor recomputes them.
    LedgerEntry last = ledger.entries.get(ledger.entries.size() - 1);
    assertThat(last.getFacts().getNegativeWeight()).isCloseTo(0, within(1e-9));
  }

  @Test
  void aReportersRepeatedReportsWeighLessAndLess() {
    // A cap C high enough not to bound these few reports: only the diminishing weight is seen.
    MemoryLedger ledger =
        MemoryLedger.started(
                p ->
                    p.setTrust(
                        dev.trustledger.avro.TrustParameters.newBuilder(p.getTrust())
                            .setTreeEvidenceCap(1000)
                            .build()))
            .accept(
                T,
                registerSponsor("acme", T),
                registerAgent("root", "acme", T),
                registerSponsor("globex", T),
                registerAgent("fan", "globex", T));
    List<Double> weights = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Step step = ledger.publish(report(Signer.agent(key("fan")), "root", "fan-" + i, 100), T + 10);
      weights.add(step.entries().get(0).entry().getFacts().getPositiveWeight());
    }
    double first = weights.get(0);
    assertThat(weights.get(1)).isCloseTo(first / 2, within(1e-9));
    assertThat(weights.get(2)).isCloseTo(first / 3, within(1e-9));
    assertThat(ledger.principal(agentId("root")).getReporters())
        .singleElement()
        .satisfies(tally -> assertThat(tally.getValue()).isEqualTo(4.0));
  }

  @Test
  void adminReportsAreNotBounded() {
    MemoryLedger ledger = withTree();
    Signer admin = Signer.admin(LedgerDriver.ADMIN);
    for (int i = 0; i < 3; i++) {
      Step step = ledger.publish(report(admin, "root", "adm-" + i, 0), T + 10);
      assertThat(step.entries().get(0).entry().getFacts().getNegativeWeight()).isEqualTo(1.0);
    }
    assertThat(ledger.principal(agentId("root")).getReporters()).isEmpty();
  }

  @Test
  void anAgentsTalliesStayBounded() {
    MemoryLedger ledger = withTree().accept(T, registerSponsor("crowd", T));
    for (int i = 0; i < 70; i++) {
      ledger.accept(T, registerAgent("fan" + i, "crowd", T));
      ledger.accept(T + 10 + i, report(Signer.agent(key("fan" + i)), "root", "c" + i, 80));
    }
    var reporters = ledger.principal(agentId("root")).getReporters();
    assertThat(reporters).hasSize(Tallies.MAX);
    assertThat(reporters).extracting(dev.trustledger.ledger.avro.Tally::getId).isSorted();
  }

  @Test
  void theSponsorMayRegisterASubAgentUnderItsAgent() {
    MemoryLedger ledger = withTree();
    SignedEvent bySponsor =
        Events.registerAgent(key("helper").publicKey(), sponsorId("acme"))
            .parent(agentId("root"))
            .draft()
            .eventId("reg-helper")
            .issuedAt(T)
            .sign(Signer.sponsor(key("acme")), key("helper"));
    assertThat(ledger.publish(bySponsor, T + 10).accepted()).isTrue();
    assertThat(ledger.state.children(agentId("root"))).contains(agentId("helper"));
  }

  @Test
  void aReportFoldsIntoTheSubjectsTrustAndIsTheReportersActivity() {
    MemoryLedger ledger =
        withTree().accept(T, registerSponsor("globex", T), registerAgent("outsider", "globex", T));
    Step step = ledger.publish(report(Signer.agent(key("outsider")), "root", "o1", 100), T + 1000);
    LedgerEntry entry = step.entries().get(0).entry();
    Evidence expected =
        TrustModel.apply(
            Evidence.registered(T),
            new dev.trustledger.trust.Report(
                T + 1000,
                100,
                Severity.MEDIUM,
                Weights.ofReporterTrust(
                    TrustModel.evaluate(
                            Evidence.registered(T),
                            T + 1000,
                            ledger.sequencer.parameters(ledger.head()).trust())
                        .trust())),
            ledger.sequencer.parameters(ledger.head()).trust());
    assertThat(Evidence.of(entry.getFacts().getTrustAfter())).isEqualTo(expected);
    assertThat(Evidence.of(ledger.principal(agentId("root")).getTrust())).isEqualTo(expected);
    assertThat(ledger.principal(agentId("outsider")).getTrust().getActivityTime())
        .isEqualTo(T + 1000);
  }

  @Test
  void aParameterChangeTakesEffectAtItsLedgerSeq() {
    MemoryLedger ledger = withTree();
    LedgerParameters shorter =
        LedgerParameters.newBuilder(MemoryLedger.parameters()).setReplayWindowMs(60_000L).build();
    Step change =
        ledger.publish(
            Events.changeParameters(MemoryLedger.ledgerId(), shorter, "shorter window")
                .eventId("params-1")
                .issuedAt(T)
                .sign(Signer.admin(LedgerDriver.ADMIN)),
            T + 10);
    assertThat(change.accepted()).isTrue();
    LedgerEntry entry = change.entries().get(0).entry();
    assertThat(entry.getSubjectId()).isEqualTo(MemoryLedger.ledgerId());
    assertThat(entry.getSeq()).isEqualTo(1);
    assertThat(ledger.head().getParameters()).isEqualTo(shorter);
    assertThat(ledger.head().getParametersSince()).isEqualTo(entry.getLedgerSeq());
    // Issued 2 minutes before it arrives: fine under a day's window, stale under a minute's.
    SignedEvent late = report(Signer.admin(LedgerDriver.ADMIN), "root", "late", 50);
    assertThat(ledger.rejection(ledger.publish(late, T + 120_000)).getReason())
        .isEqualTo(RejectionReason.STALE_EVENT);
  }

  @Test
  void aParameterChangeCanReplaceTheAdmins() {
    MemoryLedger ledger = withTree();
    Ed25519PrivateKey newAdmin = key("new-admin");
    LedgerParameters swapped =
        LedgerParameters.newBuilder(MemoryLedger.parameters())
            .setAdminPublicKeys(List.of(ByteBuffer.wrap(newAdmin.publicKey().raw())))
            .build();
    Step change =
        ledger.publish(
            Events.changeParameters(MemoryLedger.ledgerId(), swapped, "rotate admins")
                .eventId("params-1")
                .issuedAt(T)
                .sign(Signer.admin(LedgerDriver.ADMIN)),
            T + 10);
    assertThat(change.keys())
        .extracting(Step.KeyUpdate::principalId)
        .containsExactlyInAnyOrder(
            Signer.admin(newAdmin).id(), Signer.admin(LedgerDriver.ADMIN).id());
    assertThat(change.keys())
        .filteredOn(k -> k.principalId().equals(Signer.admin(LedgerDriver.ADMIN).id()))
        .singleElement()
        .satisfies(k -> assertThat(k.publicKey()).isNull());
    assertThat(ledger.rejection(ledger.publish(registerSponsor("late", T), T + 20)).getReason())
        .isEqualTo(RejectionReason.UNKNOWN_SIGNER);
    SignedEvent byNewAdmin =
        Events.registerSponsor(key("late").publicKey(), "late", "l@example.org")
            .eventId("reg-late")
            .issuedAt(T)
            .sign(Signer.admin(newAdmin), key("late"));
    assertThat(ledger.publish(byNewAdmin, T + 30).accepted()).isTrue();
  }

  @Test
  void aVerdictMadeWithTheSignersKeyIsUsedAsItIs() {
    MemoryLedger ledger = withTree();
    SignedEvent r = report(Signer.admin(LedgerDriver.ADMIN), "root", "v1", 50);
    // A verdict claiming a problem, made with the admin's real key, is taken as it is: the step
    // does not check again what the verify stage checked with the same key.
    Verdict verdict =
        Verdict.newBuilder()
            .setSignerKey(ByteBuffer.wrap(LedgerDriver.ADMIN.publicKey().raw()))
            .setReason(RejectionReason.BAD_SIGNATURE)
            .setDetail("checked by the verify stage")
            .build();
    Step step =
        ledger.step(new Input.Event(ledger.source(T), r.getSubjectId(), r, verdict, T + 10));
    assertThat(ledger.rejection(step).getDetail()).isEqualTo("checked by the verify stage");
  }

  @Test
  void checkpointsFallDueByCountAndByTheWallClock() {
    MemoryLedger ledger =
        MemoryLedger.started(p -> p.setCheckpointEntries(2).setEntriesPartitions(1));
    ledger.accept(T, registerSponsor("acme", T));
    assertThat(ledger.steps.get(1).checkpoints())
        .singleElement()
        .satisfies(c -> assertThat(c.body().size()).isEqualTo(2));
    ledger.accept(T + 1, registerAgent("bot", "acme", T));
    assertThat(ledger.steps.get(2).checkpoints()).isEmpty();
    assertThat(Sequencer.uncheckpointed(ledger.head())).isTrue();
    assertThat(ledger.step(new Input.Tick(T + 5_000)).checkpoints()).isEmpty();
    Step tick = ledger.step(new Input.Tick(T + 10_000));
    assertThat(tick.checkpoints())
        .singleElement()
        .satisfies(
            c -> {
              CheckpointBody body = c.body();
              assertThat(body.size()).isEqualTo(3);
              assertThat(body.origin()).isEqualTo("test.ledger");
              MemoryTree tree = new MemoryTree();
              ledger.entries.forEach(e -> tree.appendData(AvroBinary.encode(e)));
              assertThat(body.rootHash()).isEqualTo(tree.root(3));
            });
    assertThat(Sequencer.uncheckpointed(ledger.head())).isFalse();
    Step idle = ledger.step(new Input.Tick(T + 100_000));
    assertThat(idle.checkpoints()).isEmpty();
    assertThat(idle.changes().isEmpty()).as("an idle tick changes nothing").isTrue();
  }

  @Test
  void theStepIsAFunctionOfStateAndInput() {
    MemoryLedger a = withTree();
    MemoryLedger b = withTree();
    SignedEvent r = report(Signer.agent(key("sibling")), "root", "x", 30);
    assertThat(a.publish(r, T + 10)).isEqualTo(b.publish(r, T + 10));
    assertThat(a.state.principals()).isEqualTo(b.state.principals());
  }
}
