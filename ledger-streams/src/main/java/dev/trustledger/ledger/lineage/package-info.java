/**
 * What an agent inherits from the principals above it (its parent agents and its sponsor): its
 * effective status and its effective capabilities (docs/spec.md section 6.6). Pure functions over a
 * lookup of principals, used by the ledger's step and by every read.
 */
package dev.trustledger.ledger.lineage;
