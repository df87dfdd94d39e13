/**
 * The trust model as pure functions over immutable records: evidence, reports, reporter weights,
 * and trust at a query time (docs/spec.md section 8). No Kafka types.
 */
package dev.trustledger.trust;
