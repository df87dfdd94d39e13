package dev.trustledger.event;

import dev.trustledger.avro.UnsignedOutcome;
import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.serde.AvroBinary;

/**
 * The ledger's signature over what it says of an event: {@code Ed25519(ledger key,
 * "trustledger/v1/outcome\n" || Avro binary of UnsignedOutcome)}.
 */
public final class Outcomes {
  private Outcomes() {}

  public static byte[] signingBytes(UnsignedOutcome outcome) {
    return Domain.OUTCOME.prefix(AvroBinary.encode(outcome));
  }

  public static byte[] sign(UnsignedOutcome outcome, Ed25519PrivateKey ledgerKey) {
    return ledgerKey.sign(signingBytes(outcome));
  }

  public static boolean verify(
      UnsignedOutcome outcome, byte[] signature, Ed25519PublicKey ledgerKey) {
    return ledgerKey.verify(signingBytes(outcome), signature);
  }

  /**
   * The outcome an API answer states: a {@code 202} of {@code POST /v1/events} (received), or an
   * event status (accepted or rejected), whose members name the fields.
   *
   * @throws IllegalArgumentException when the answer states no outcome (pending) or lacks a field
   */
  public static UnsignedOutcome ofAnswer(com.fasterxml.jackson.databind.JsonNode a) {
    String status = a.has("received_at") ? "received" : a.path("status").asText();
    UnsignedOutcome.Builder b =
        UnsignedOutcome.newBuilder()
            .setLedgerId(text(a, "ledger_id"))
            .setEventHash(
                java.nio.ByteBuffer.wrap(
                    dev.trustledger.encoding.Hex.decode(text(a, "event_hash"))))
            .setSubjectId(text(a, "subject_id"))
            .setEventId(text(a, "event_id"));
    switch (status) {
      case "received" ->
          b.setStatus(dev.trustledger.avro.OutcomeStatus.RECEIVED)
              .setLedgerSeq(-1)
              .setTime(a.path("received_at").asLong());
      case "accepted" ->
          b.setStatus(dev.trustledger.avro.OutcomeStatus.ACCEPTED)
              .setLedgerSeq(a.path("ledger_seq").asLong())
              .setEntryHash(
                  java.nio.ByteBuffer.wrap(
                      dev.trustledger.encoding.Hex.decode(text(a, "entry_hash"))))
              .setTime(a.path("ledger_time").asLong());
      case "rejected" ->
          b.setStatus(dev.trustledger.avro.OutcomeStatus.REJECTED)
              .setReason(
                  dev.trustledger.avro.RejectionReason.valueOf(
                      text(a, "reason").toUpperCase(java.util.Locale.ROOT)))
              .setLedgerSeq(a.path("ledger_seq").asLong())
              .setTime(a.path("ledger_time").asLong());
      default -> throw new IllegalArgumentException("the answer states no outcome: " + status);
    }
    return b.build();
  }

  /** True when the answer's {@code signature} is the ledger's over the outcome it states. */
  public static boolean verifyAnswer(
      com.fasterxml.jackson.databind.JsonNode a, Ed25519PublicKey ledgerKey) {
    if (!a.path("signature").isTextual()) {
      return false;
    }
    return verify(
        ofAnswer(a),
        dev.trustledger.encoding.Base64Url.decode(a.get("signature").asText()),
        ledgerKey);
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode a, String field) {
    if (!a.path(field).isTextual()) {
      throw new IllegalArgumentException("the answer has no " + field);
    }
    return a.get(field).asText();
  }
}
