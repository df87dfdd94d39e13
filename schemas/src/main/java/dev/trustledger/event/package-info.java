/**
 * Signed events: the signing bytes, event ids, signers, signature checks and a builder per payload
 * type (docs/spec.md section 4).
 */
package dev.trustledger.event;
