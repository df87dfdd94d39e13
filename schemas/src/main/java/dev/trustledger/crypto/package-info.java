/**
 * Ed25519 (Bouncy Castle, pure RFC 8032) keys, signatures and key files, SHA-256, and the
 * domain-separation prefixes of every signed or hashed message.
 */
package dev.trustledger.crypto;
