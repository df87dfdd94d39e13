/** The read interface of the ledger's stores, used by the query API. */
package dev.trustledger.ledger.read;
