package dev.trustledger.ledger.sequencer;

/** The ledger's step as a function, so that the topology can run another one in tests. */
@FunctionalInterface
public interface LedgerStep {
  Step step(LedgerState state, Input input);
}
