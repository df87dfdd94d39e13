/**
 * The ledger as one state machine: {@code Sequencer.step(state, input) -> Step}. Signer lookup,
 * signatures, rules, chaining, ledger order, partition choice, cascades, log hashes and checkpoint
 * timing live here once; the topology and the auditor both run it.
 */
package dev.trustledger.ledger.sequencer;
