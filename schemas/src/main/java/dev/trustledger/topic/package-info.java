/**
 * The ledger's topics: their names, the wire format of each record type on them, and the partition
 * function of {@code ledger.entries}. Shared by the ledger, publishers and auditors.
 */
package dev.trustledger.topic;
