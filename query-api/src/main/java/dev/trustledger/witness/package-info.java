/**
 * Witnesses of C2SP tlog-witness: the small witness that {@code ledger witness} runs (per-origin
 * latest checkpoint on disk, consistency checked, tlog-cosignature Ed25519 cosignatures), and the
 * node's client that submits each new checkpoint to the configured witnesses and keeps their
 * cosignatures.
 */
package dev.trustledger.witness;
