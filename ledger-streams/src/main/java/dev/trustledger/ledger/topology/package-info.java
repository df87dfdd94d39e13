/**
 * The ledger topology: a verify stage that runs in parallel and a single sequencer that decides,
 * chains, folds and checkpoints; {@link dev.trustledger.ledger.topology.LedgerTopology#build} is
 * the whole of it.
 */
package dev.trustledger.ledger.topology;
