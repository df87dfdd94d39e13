package dev.trustledger.ledger.audit;

import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_CONTRADICTION;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_ROOT;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_SIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.CHECKPOINT_SIZE;
import static dev.trustledger.ledger.audit.Problem.Kind.COSIGNATURE;
import static dev.trustledger.ledger.audit.Problem.Kind.FORK;
import static dev.trustledger.ledger.audit.Problem.Kind.MALFORMED;
import static dev.trustledger.ledger.audit.Problem.Kind.QUORUM;

import dev.trustledger.avro.Checkpoint;
import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.KeyHistory;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.merkle.MemoryTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks the ledger's signed checkpoints against the Merkle tree of the log's entries: every note
 * verifies with the ledger key and names the ledger's origin; every root is the tree's root at its
 * size; no two checkpoints disagree at one size; a checkpoint observed elsewhere (a node's, a
 * receipt's, another copy's) that the ledger signed over another tree is a fork; and witness
 * cosignatures verify and reach the quorum. Each note must be signed with the ledger's key in force
 * at its size: the genesis key, or the key of the last rotation of the ledger's key below it.
 */
final class CheckpointAudit {
  private final KeyHistory keys;
  private final MemoryTree tree;
  private final List<Problem> problems;
  private final Map<Long, Signed> signed = new TreeMap<>();
  private int verified;

  private record Signed(byte[] root, String where) {}

  CheckpointAudit(KeyHistory keys, MemoryTree tree, List<Problem> problems) {
    this.keys = keys;
    this.tree = tree;
    this.problems = problems;
  }

  /** Checks the checkpoints of the log itself. */
  void checkLog(List<Located<Checkpoint>> checkpoints) {
    String origin = CheckpointBody.origin(keys.name(), Sequencer.LEDGER_TREE);
    for (Located<Checkpoint> located : checkpoints) {
      if (located.value() == null) {
        problems.add(at(located, MALFORMED, "a checkpoint", located.error()));
        continue;
      }
      Checkpoint c = located.value();
      CheckpointBody body;
      try {
        body = keys.verify(c.getNote());
      } catch (NoteException e) {
        problems.add(
            at(
                located,
                CHECKPOINT_SIGNATURE,
                "a note signed by " + keys.name() + " with the key in force at its size",
                e.getMessage()));
        continue;
      }
      if (!body.origin().equals(origin) || c.getTree() != Sequencer.LEDGER_TREE) {
        problems.add(at(located, CHECKPOINT_SIGNATURE, origin + " (tree 0)", body.origin()));
        continue;
      }
      if (body.size() != c.getSize()
          || !Arrays.equals(body.rootHash(), Buffers.toArray(c.getRootHash()))) {
        problems.add(
            at(located, CHECKPOINT_SIGNATURE, "the record's size and root in its note", body));
        continue;
      }
      verified++;
      String where = "checkpoint at " + located.partition() + "/" + located.offset();
      compare(body, where, false);
    }
  }

  /**
   * Checks checkpoints observed outside the log (notes with cosignatures), with the witnesses and
   * quorum an auditor requires.
   */
  void checkObserved(List<AuditLog.Observed> observed, List<CosignerKey> witnesses, int quorum) {
    for (AuditLog.Observed o : observed) {
      SignedNote note;
      CheckpointBody body;
      try {
        note = SignedNote.parse(o.note());
        body = keys.verify(note);
      } catch (NoteException e) {
        problems.add(
            observed(
                o,
                CHECKPOINT_SIGNATURE,
                "a checkpoint signed by " + keys.name() + " with the key in force at its size",
                e.getMessage()));
        continue;
      }
      int cosigned = 0;
      for (CosignerKey w : witnesses) {
        try {
          if (w.verify(note).isPresent()) {
            cosigned++;
          }
        } catch (NoteException e) {
          problems.add(
              observed(o, COSIGNATURE, "a valid cosignature of " + w.name(), e.getMessage()));
        }
      }
      if (cosigned < quorum) {
        problems.add(
            observed(
                o,
                QUORUM,
                quorum + " valid cosignatures of the " + witnesses.size() + " witnesses",
                cosigned));
      }
      verified++;
      compare(body, o.source(), true);
    }
  }

  private void compare(CheckpointBody body, String where, boolean observed) {
    Signed earlier = signed.putIfAbsent(body.size(), new Signed(body.rootHash(), where));
    if (earlier != null && !Arrays.equals(earlier.root(), body.rootHash())) {
      problems.add(
          problem(
              observed ? FORK : CHECKPOINT_CONTRADICTION,
              "one root at size "
                  + body.size()
                  + ": "
                  + Hex.encode(earlier.root())
                  + " ("
                  + earlier.where()
                  + ")",
              Hex.encode(body.rootHash()) + " (" + where + ")"));
      return;
    }
    if (body.size() > tree.size()) {
      problems.add(
          problem(
              observed ? FORK : CHECKPOINT_SIZE,
              "at most " + tree.size() + " entries (" + where + ")",
              body.size() + " entries signed"));
      return;
    }
    byte[] actual = tree.root(body.size());
    if (!Arrays.equals(actual, body.rootHash())) {
      Optional<Long> agreed = largestAgreeing(body.size());
      problems.add(
          problem(
              observed ? FORK : CHECKPOINT_ROOT,
              "the log's root at size "
                  + body.size()
                  + " "
                  + Hex.encode(actual)
                  + agreed.map(a -> " (the trees agree at size " + a + ")").orElse(""),
              Hex.encode(body.rootHash()) + " signed (" + where + ")"));
    }
  }

  private Optional<Long> largestAgreeing(long below) {
    long best = -1;
    for (Map.Entry<Long, Signed> e : signed.entrySet()) {
      if (e.getKey() < below
          && e.getKey() <= tree.size()
          && Arrays.equals(e.getValue().root(), tree.root(e.getKey()))) {
        best = e.getKey();
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(best);
  }

  /**
   * Contradictions within the log's own checkpoints: a checkpoint whose root is not the log's while
   * a larger one is (the history was rewritten and signed again).
   */
  void checkRewrites() {
    long largestMatching = -1;
    List<Long> mismatching = new ArrayList<>();
    for (Map.Entry<Long, Signed> e : signed.entrySet()) {
      if (e.getKey() > tree.size()) {
        continue;
      }
      if (Arrays.equals(e.getValue().root(), tree.root(e.getKey()))) {
        largestMatching = Math.max(largestMatching, e.getKey());
      } else {
        mismatching.add(e.getKey());
      }
    }
    for (long size : mismatching) {
      if (largestMatching > size) {
        problems.add(
            problem(
                CHECKPOINT_CONTRADICTION,
                "history at size " + size + " as signed earlier",
                "a rewritten history signed again at size " + largestMatching));
      }
    }
  }

  int verified() {
    return verified;
  }

  private static Problem at(Located<?> located, Problem.Kind kind, Object expected, Object found) {
    return new Problem(
        kind,
        located.partition(),
        located.offset(),
        "",
        -1,
        String.valueOf(expected),
        String.valueOf(found));
  }

  private static Problem observed(
      AuditLog.Observed o, Problem.Kind kind, Object expected, Object found) {
    return new Problem(
        kind, -1, -1, "", -1, expected + " (" + o.source() + ")", String.valueOf(found));
  }

  private static Problem problem(Problem.Kind kind, String expected, String found) {
    return new Problem(kind, -1, -1, "", -1, expected, found);
  }
}
