/**
 * The HTTP query API (docs/spec.md section 12): a factory that builds the Javalin app from its
 * dependencies, one-method handlers over the ledger's read interface, and RFC 9457 problems.
 */
package dev.trustledger.api;
