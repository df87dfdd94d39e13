/** A small library for services that publish signed events to the ledger. */
package dev.trustledger.publish;
