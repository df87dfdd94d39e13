package dev.trustledger.api;

import dev.trustledger.avro.SignedEvent;
import java.util.concurrent.CompletableFuture;

/** Where accepted-for-publishing events go: the ledger's input topic. */
public interface EventSink {
  /** Completes when the event is durably written to the input topic. */
  CompletableFuture<?> publish(SignedEvent event);
}
