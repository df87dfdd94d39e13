/**
 * Checkpoints of the ledger's Merkle tree in the C2SP signed-note and tlog-checkpoint formats, and
 * witnesses' tlog-cosignature cosignatures over them (docs/spec.md section 9).
 */
package dev.trustledger.checkpoint;
