/** Running the topology on a real cluster: topic setup, the Streams runtime and a headless main. */
package dev.trustledger.ledger.runtime;
