/**
 * The JSON form of the contract's Avro records (docs/spec.md section 2.2): field names as in Avro,
 * bytes as base64url without padding, union records tagged by {@code type}. Strict both ways.
 */
package dev.trustledger.json;
