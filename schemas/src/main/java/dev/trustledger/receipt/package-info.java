/**
 * Offline trust receipts (docs/spec.md section 12.5): a C2SP tlog-proof of an agent's latest entry
 * whose extra data carries the entries a gateway needs (the agent's, its parents', its sponsor's,
 * the ledger parameters') with their inclusion proofs, and the ledger's signed statement that they
 * were the latest; and the offline check of one.
 */
package dev.trustledger.receipt;
