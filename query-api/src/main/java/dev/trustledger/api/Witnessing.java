package dev.trustledger.api;

import dev.trustledger.checkpoint.CosignerKey;
import dev.trustledger.checkpoint.SignedNote;
import java.util.List;

/** What the node knows of its witnesses: the cosignatures they gave, and how each stands. */
public interface Witnessing {
  /**
   * The verified cosignatures the node holds for the checkpoint whose note text is {@code text}.
   */
  List<SignedNote.Signature> cosignatures(String text);

  /** The witnesses the node submits to. */
  List<CosignerKey> witnesses();

  /** How many of them must cosign a checkpoint for it to count (receipts wait for that). */
  int quorum();

  /** How each witness stands. */
  List<Status> status();

  /**
   * One witness as the node sees it.
   *
   * @param name its cosigner name
   * @param verifierKey its cosignature verifier key
   * @param url where the node submits
   * @param cosignedSize the largest checkpoint size it cosigned for this node (0 before any)
   * @param refusals how many checkpoints it refused or could not be reached for
   * @param lastProblem the latest refusal or failure, or null
   */
  record Status(
      String name,
      String verifierKey,
      String url,
      long cosignedSize,
      long refusals,
      String lastProblem) {}

  /** No witnesses. */
  Witnessing NONE =
      new Witnessing() {
        @Override
        public List<SignedNote.Signature> cosignatures(String text) {
          return List.of();
        }

        @Override
        public List<CosignerKey> witnesses() {
          return List.of();
        }

        @Override
        public int quorum() {
          return 0;
        }

        @Override
        public List<Status> status() {
          return List.of();
        }
      };
}
