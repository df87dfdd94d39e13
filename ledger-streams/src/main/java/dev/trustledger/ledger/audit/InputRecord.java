package dev.trustledger.ledger.audit;

import dev.trustledger.avro.SignedEvent;

/**
 * One record of {@code ledger.events} as the auditor reads it.
 *
 * @param partition its partition
 * @param offset its offset
 * @param timestamp its timestamp (LogAppendTime: the ledger time it was decided at)
 * @param key its key
 * @param event the event, or null when the record does not decode
 */
public record InputRecord(
    int partition, long offset, long timestamp, String key, SignedEvent event) {}
