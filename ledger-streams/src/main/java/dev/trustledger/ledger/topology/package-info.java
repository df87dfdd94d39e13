/**
 * The ledger topology: a verify stage that runs in parallel and a single sequencer task whose
 * processor is plumbing around {@code Sequencer.step}; {@link
 * dev.trustledger.ledger.topology.LedgerTopology#build} is the whole of it.
 */
package dev.trustledger.ledger.topology;
