/** The ledger node: the Streams topology and the HTTP API in one JVM, with store routing. */
package dev.trustledger.node;
