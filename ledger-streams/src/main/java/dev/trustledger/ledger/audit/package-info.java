/**
 * The auditor: verifies a ledger log (entries and checkpoints) without trusting its operator, by
 * recomputing every hash and signature and re-running the ledger's rules.
 */
package dev.trustledger.ledger.audit;
