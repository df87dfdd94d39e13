/** Self-certifying principal ids derived from Ed25519 public keys (DESIGN section 2). */
package dev.trustledger.id;
