package dev.trustledger.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Domain-separation prefixes, one per kind of signed or hashed message. Every signature and hash in
 * the ledger starts with exactly one of these, so bytes of one kind can never be mistaken for
 * another.
 */
public enum Domain {
  /** Signing bytes of an event: prefix || Avro binary of UnsignedEvent. */
  EVENT("trustledger/v1/event\n"),
  /** Entry hash: SHA-256(prefix || Avro binary of LedgerEntry without entry_hash). */
  ENTRY("trustledger/v1/entry\n"),
  /** Messages a gateway asks the ledger to verify through POST /v1/verify. */
  MESSAGE("trustledger/v1/message\n"),
  /**
   * Key records on ledger.keys: prefix || Avro binary of UnsignedKeyRecord, signed by the ledger.
   */
  KEY("trustledger/v1/key\n"),
  /**
   * Derivation of the key that authenticates the records between a node's verify stage and its
   * sequencer: HMAC-SHA256(ledger key seed, prefix).
   */
  SEQUENCER_MAC("trustledger/v1/sequencer-mac\n"),
  /**
   * A decision the ledger returns to a publisher: prefix || Avro binary of UnsignedOutcome, signed
   * by the ledger.
   */
  OUTCOME("trustledger/v1/outcome\n"),
  /**
   * The ledger's statement in a trust receipt of which entries were its principals' latest at a
   * tree size: prefix || the statement's text, signed by the ledger.
   */
  RECEIPT("trustledger/v1/receipt\n");

  private final String text;
  private final byte[] bytes;

  Domain(String text) {
    this.text = text;
    this.bytes = text.getBytes(StandardCharsets.UTF_8);
  }

  public String text() {
    return text;
  }

  /** A fresh copy of the prefix bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The shared prefix array, for hashing inside this package only: never modify it. */
  byte[] shared() {
    return bytes;
  }

  /** Returns prefix || body in one new array. */
  public byte[] prefix(byte[] body) {
    byte[] out = new byte[bytes.length + body.length];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    System.arraycopy(body, 0, out, bytes.length, body.length);
    return out;
  }
}
