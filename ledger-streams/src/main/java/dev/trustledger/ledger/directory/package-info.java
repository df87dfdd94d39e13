/** The principal directory the topology maintains in its state stores, and their serdes. */
package dev.trustledger.ledger.directory;
