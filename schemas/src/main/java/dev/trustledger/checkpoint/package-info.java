/**
 * Signed checkpoints of the partition log hash in the C2SP signed-note and tlog-checkpoint formats.
 */
package dev.trustledger.checkpoint;
