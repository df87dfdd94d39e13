/** The ledger's configuration: one class with every key, default, doc string and check. */
package dev.trustledger.ledger.config;
