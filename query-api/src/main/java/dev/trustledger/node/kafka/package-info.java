/** A persistent single-node KRaft Kafka server in the JVM, for {@code ledger dev}. */
package dev.trustledger.node.kafka;
