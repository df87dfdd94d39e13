/**
 * The JSON form of the contract's Avro records (DESIGN section 7): field names as in Avro, bytes as
 * base64url without padding, union records tagged by {@code type}. Strict both ways.
 */
package dev.trustledger.json;
