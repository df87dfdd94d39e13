/**
 * The ledger's rules for verified events: replay window, dedupe, authorization, state transitions,
 * reporter weights and cascades, as a pure function over a {@link
 * dev.trustledger.ledger.rules.Directory}.
 */
package dev.trustledger.ledger.rules;
