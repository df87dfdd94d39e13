/**
 * Signed events: the signing bytes, event ids, signers, signature checks and a builder per payload
 * type (DESIGN section 3).
 */
package dev.trustledger.event;
