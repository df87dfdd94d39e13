package dev.trustledger.ledger.verify;

import dev.trustledger.avro.RejectionReason;

/**
 * Why an input is not accepted: one reason of the closed set and a human-readable detail.
 *
 * @param reason the rejection reason (docs/spec.md section 6.4)
 * @param detail what was wrong, with the values involved
 */
public record Rejected(RejectionReason reason, String detail) {
  public Rejected {
    if (reason == null || detail == null) {
      throw new IllegalArgumentException("a rejection needs a reason and a detail");
    }
  }

  public static Rejected of(RejectionReason reason, String detail) {
    return new Rejected(reason, detail);
  }
}
