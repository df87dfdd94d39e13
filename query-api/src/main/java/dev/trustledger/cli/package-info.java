/** The {@code ledger} command (picocli): dev, node, keygen, publishing, status, verify, audit. */
package dev.trustledger.cli;
