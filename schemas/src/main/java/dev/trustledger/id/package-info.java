/** Self-certifying principal ids derived from Ed25519 public keys (docs/spec.md section 3.1). */
package dev.trustledger.id;
