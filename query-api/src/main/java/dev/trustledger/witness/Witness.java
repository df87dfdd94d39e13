package dev.trustledger.witness;

import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.ProofException;
import dev.trustledger.merkle.Proofs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A tlog-witness: for each log it knows (by origin, with the log's note key), it keeps the latest
 * checkpoint it cosigned and cosigns a new one only when a consistency proof shows it extends that
 * one. {@link #addCheckpoint} is the whole of the {@code add-checkpoint} call, statuses included.
 */
public final class Witness {
  /** Most consistency proof lines a request may carry (the specification's limit). */
  static final int MAX_PROOF_LINES = 63;

  private final CosignerKey cosigner;
  private final Ed25519PrivateKey key;
  private final Map<String, NoteKey> logs;
  private final WitnessState state;
  private final LongSupplier clockSeconds;

  /** An answer of the HTTP interface. */
  public record Answer(int status, String contentType, String body) {
    static Answer error(int status, String message) {
      return new Answer(status, "text/plain; charset=utf-8", message + "\n");
    }
  }

  /**
   * @param logs the log keys the witness trusts, by origin (the key's name)
   */
  public Witness(
      CosignerKey cosigner,
      Ed25519PrivateKey key,
      Map<String, NoteKey> logs,
      WitnessState state,
      LongSupplier clockSeconds) {
    if (!key.publicKey().equals(cosigner.publicKey())) {
      throw new IllegalArgumentException("the witness key is not the cosigner key's");
    }
    this.cosigner = cosigner;
    this.key = key;
    this.logs = Map.copyOf(logs);
    this.state = state;
    this.clockSeconds = clockSeconds;
  }

  public CosignerKey cosigner() {
    return cosigner;
  }

  /** {@code POST <prefix>/add-checkpoint}. */
  public Answer addCheckpoint(String body) {
    Request request;
    try {
      request = Request.parse(body);
    } catch (IllegalArgumentException e) {
      return Answer.error(400, e.getMessage());
    }
    SignedNote note;
    try {
      note = SignedNote.parse(request.checkpoint());
    } catch (NoteException e) {
      return Answer.error(400, "the checkpoint is not a signed note: " + e.getMessage());
    }
    String origin = note.text().substring(0, note.text().indexOf('\n'));
    NoteKey log = logs.get(origin);
    if (log == null) {
      return Answer.error(404, "unknown log origin '" + origin + "'");
    }
    CheckpointBody checkpoint;
    try {
      log.verifyText(note);
    } catch (NoteException e) {
      return Answer.error(403, e.getMessage());
    }
    try {
      checkpoint = CheckpointBody.parse(note.text());
    } catch (NoteException e) {
      return Answer.error(400, e.getMessage());
    }
    if (request.oldSize() > checkpoint.size()) {
      return Answer.error(
          400, "old size " + request.oldSize() + " is above the checkpoint's " + checkpoint.size());
    }
    synchronized (state.lock(origin)) {
      Optional<CheckpointBody> latest = state.latest(origin);
      long held = latest.map(CheckpointBody::size).orElse(0L);
      if (request.oldSize() != held) {
        return new Answer(409, "text/x.tlog.size", held + "\n");
      }
      if (checkpoint.size() == 0 && !Arrays.equals(checkpoint.rootHash(), MerkleHash.empty())) {
        return Answer.error(422, "a tree of size 0 has the root of the empty tree");
      }
      if (request.oldSize() == 0) {
        if (!request.proof().isEmpty()) {
          return Answer.error(422, "no consistency proof goes with an old size of 0");
        }
      } else {
        try {
          Proofs.verifyConsistency(
              request.oldSize(),
              checkpoint.size(),
              latest.orElseThrow().rootHash(),
              checkpoint.rootHash(),
              request.proof());
        } catch (ProofException e) {
          return Answer.error(
              422,
              "the checkpoint is not consistent with the one cosigned at size "
                  + held
                  + ": "
                  + e.getMessage());
        }
      }
      SignedNote.Signature cosignature =
          cosigner.cosign(note.textBytes(), clockSeconds.getAsLong(), key);
      state.store(origin, note.with(List.of(cosignature)));
      return new Answer(200, "text/plain; charset=utf-8", cosignature.line());
    }
  }

  /** {@code GET <prefix>/<hex SHA-256 of the origin>/checkpoint}. */
  public Answer latest(String originHash) {
    for (String origin : logs.keySet()) {
      if (WitnessState.originHash(origin).equals(originHash)) {
        return state
            .latestNote(origin)
            .map(n -> new Answer(200, "text/plain; charset=utf-8", n))
            .orElse(Answer.error(404, "no checkpoint of this log cosigned yet"));
      }
    }
    return Answer.error(404, "unknown log");
  }

  /** An add-checkpoint body: the old size, the consistency proof and the checkpoint. */
  record Request(long oldSize, List<byte[]> proof, String checkpoint) {
    static Request parse(String body) {
      int first = body.indexOf('\n');
      if (first < 0 || !body.startsWith("old ")) {
        throw new IllegalArgumentException("the body must start with 'old <size>'");
      }
      String size = body.substring(4, first);
      long old;
      try {
        old = Long.parseLong(size);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'old " + size + "' is not a size");
      }
      if (old < 0 || !Long.toString(old).equals(size)) {
        throw new IllegalArgumentException("the old size must be a decimal without leading zeroes");
      }
      List<byte[]> proof = new ArrayList<>();
      int at = first + 1;
      while (true) {
        int end = body.indexOf('\n', at);
        if (end < 0) {
          throw new IllegalArgumentException("the proof lines must end with an empty line");
        }
        if (end == at) {
          at = end + 1;
          break;
        }
        if (proof.size() == MAX_PROOF_LINES) {
          throw new IllegalArgumentException(
              "more than " + MAX_PROOF_LINES + " consistency proof lines");
        }
        try {
          proof.add(Base64.getDecoder().decode(body.substring(at, end)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("a proof line is not base64");
        }
        at = end + 1;
      }
      return new Request(old, proof, body.substring(at));
    }

    /** The request body for these values. */
    String format() {
      StringBuilder out = new StringBuilder("old ").append(oldSize).append('\n');
      proof.forEach(h -> out.append(Base64.getEncoder().encodeToString(h)).append('\n'));
      return out.append('\n').append(checkpoint).toString();
    }
  }
}
