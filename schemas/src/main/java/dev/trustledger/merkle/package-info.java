/**
 * The RFC 6962 / RFC 9162 Merkle tree of the ledger's entries (docs/spec.md section 9): leaf and
 * node hashes, the compact range that appends in O(log n), inclusion and consistency proofs and
 * their verification, and the tile layout of C2SP tlog-tiles. Pure functions; no I/O.
 */
package dev.trustledger.merkle;
