/**
 * The auditor: verifies a ledger's log (entries, rejections, checkpoints, inputs) trusting only the
 * ledger's key, by recomputing every hash and signature and replaying every input through the
 * ledger's own step.
 */
package dev.trustledger.ledger.audit;
