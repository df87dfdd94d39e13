/**
 * The replicated read model: the views the sequencer publishes on {@code ledger.views}, and every
 * node's copy of them, which answers reads without the sequencer's stores.
 */
package dev.trustledger.ledger.view;
