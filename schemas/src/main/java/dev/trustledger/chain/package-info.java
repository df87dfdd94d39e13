/**
 * The per-subject entry hash chain, and an entry's bytes as a leaf of the ledger's Merkle tree
 * (docs/spec.md sections 5 and 9).
 */
package dev.trustledger.chain;
