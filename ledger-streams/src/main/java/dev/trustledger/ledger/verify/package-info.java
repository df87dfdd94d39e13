/**
 * Verification of one event against its signer's key: signature, proof of possession,
 * self-certifying ids and field checks. Pure; shared by the topology and the auditor.
 */
package dev.trustledger.ledger.verify;
