package dev.trustledger.ledger.topology;

import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.avro.VerifiedEvent;
import dev.trustledger.ledger.rules.LedgerRules;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage one, parallel across partitions and threads: decodes each input and, when the signer's key
 * is known (an admin, or a principal in the global key store), verifies it. Everything goes on to
 * the sequencer with the verdict; nothing is dropped.
 */
final class VerifyProcessor implements Processor<String, byte[], String, VerifiedEvent> {
  private final WireFormat<SignedEvent> format;
  private final EventVerifier verifier;
  private final LedgerRules rules;
  private final LedgerMetrics metrics;
  private ProcessorContext<String, VerifiedEvent> context;
  private KeyValueStore<String, byte[]> signerKeys;

  VerifyProcessor(
      WireFormat<SignedEvent> format,
      EventVerifier verifier,
      LedgerRules rules,
      LedgerMetrics metrics) {
    this.format = format;
    this.verifier = verifier;
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, VerifiedEvent> context) {
    this.context = context;
    this.signerKeys = context.getStateStore(StoreNames.SIGNER_KEYS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata metadata = context.recordMetadata().orElseThrow();
    RecordRef source =
        RecordRef.newBuilder()
            .setTopic(metadata.topic())
            .setPartition(metadata.partition())
            .setOffset(metadata.offset())
            .setTimestamp(record.timestamp())
            .build();
    VerifiedEvent.Builder out =
        VerifiedEvent.newBuilder().setSource(source).setRecordKey(record.key());
    try {
      SignedEvent event = format.decode(metadata.topic(), record.value());
      out.setEvent(event);
      Optional<byte[]> key =
          rules
              .adminKey(event.getSignerId())
              .map(k -> k.raw())
              .or(() -> Optional.ofNullable(signerKeys.get(event.getSignerId())));
      if (key.isPresent()) {
        out.setSignatureChecked(true);
        long start = System.nanoTime();
        Optional<Rejected> rejected = verifier.verify(event, key.get());
        metrics.verified(System.nanoTime() - start);
        rejected.ifPresent(r -> out.setRejection(r.reason()).setDetail(r.detail()));
      }
    } catch (SerdeException e) {
      Rejected rejected =
          Rejected.of(
              e.kind() == SerdeException.Kind.MALFORMED
                  ? RejectionReason.MALFORMED
                  : RejectionReason.UNSUPPORTED_SCHEMA,
              e.getMessage());
      out.setRejection(rejected.reason()).setDetail(rejected.detail());
    }
    String ref = source.getTopic() + "/" + source.getPartition() + "/" + source.getOffset();
    context.forward(record.withKey(ref).withValue(out.build()));
  }
}
