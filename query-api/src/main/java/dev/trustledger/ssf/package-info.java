/**
 * OpenID Shared Signals: security event tokens for suspensions, reinstatements and revocations,
 * pushed to receivers (RFC 8935) and held for polling (RFC 8936).
 */
package dev.trustledger.ssf;
