/**
 * Avro on Kafka: strict binary decoding, single-object encoding (no registry), the Confluent wire
 * format with a Schema Registry REST client, and Kafka serdes over either.
 */
package dev.trustledger.serde;
