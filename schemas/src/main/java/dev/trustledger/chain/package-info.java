/**
 * The per-subject entry hash chain and the per-partition running log hash (docs/spec.md sections 5
 * and 9).
 */
package dev.trustledger.chain;
