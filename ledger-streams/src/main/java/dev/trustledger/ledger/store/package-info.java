/**
 * The ledger's state stores: their names, the sequencer's state over RocksDB and the queries the
 * read side shares with it.
 */
package dev.trustledger.ledger.store;
