package dev.trustledger.ledger.audit;

import dev.trustledger.avro.LedgerEntry;

/**
 * An entry under audit, with where it stands and the hash of its content as the auditor recomputed
 * it.
 */
record At(int partition, long offset, LedgerEntry entry, byte[] computed) {
  Problem problem(Problem.Kind kind, Object expected, Object found) {
    return new Problem(
        kind,
        partition,
        offset,
        entry.getSubjectId(),
        entry.getSeq(),
        LogAuditor.str(expected),
        LogAuditor.str(found));
  }
}
