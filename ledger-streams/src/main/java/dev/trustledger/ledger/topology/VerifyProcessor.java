package dev.trustledger.ledger.topology;

import dev.trustledger.avro.RecordRef;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.ledger.avro.SequencerInput;
import dev.trustledger.ledger.avro.Verdict;
import dev.trustledger.ledger.store.SignerKeyValues;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.ledger.verify.EventVerifier;
import dev.trustledger.ledger.verify.Rejected;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.WireFormat;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage one, parallel across partitions and threads: decodes each input and, when the global key
 * store knows a key for the signer, checks its signatures with that key. Everything goes on to the
 * sequencer with the key used and the verdict; the sequencer uses the verdict only when that key is
 * the one its own state names. Nothing is dropped.
 */
final class VerifyProcessor implements Processor<String, byte[], String, SequencerInput> {
  private final WireFormat<SignedEvent> format;
  private final EventVerifier verifier;
  private final LedgerMetrics metrics;
  private ProcessorContext<String, SequencerInput> context;
  private KeyValueStore<String, byte[]> signerKeys;

  VerifyProcessor(WireFormat<SignedEvent> format, EventVerifier verifier, LedgerMetrics metrics) {
    this.format = format;
    this.verifier = verifier;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SequencerInput> context) {
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
    SequencerInput.Builder out =
        SequencerInput.newBuilder().setSource(source).setRecordKey(record.key());
    try {
      SignedEvent event = format.decode(metadata.topic(), record.value());
      out.setEvent(event);
      byte[] key = SignerKeyValues.key(signerKeys.get(event.getSignerId()));
      if (key != null) {
        long start = System.nanoTime();
        Optional<Rejected> rejected = verifier.verify(event, key);
        metrics.verified(System.nanoTime() - start);
        out.setVerdict(
            Verdict.newBuilder()
                .setSignerKey(ByteBuffer.wrap(key))
                .setReason(rejected.map(Rejected::reason).orElse(null))
                .setDetail(rejected.map(Rejected::detail).orElse(""))
                .build());
      }
    } catch (SerdeException e) {
      out.setUndecodable(
              e.kind() == SerdeException.Kind.MALFORMED
                  ? RejectionReason.MALFORMED
                  : RejectionReason.UNSUPPORTED_SCHEMA)
          .setDetail(e.getMessage());
    }
    String ref = source.getTopic() + "/" + source.getPartition() + "/" + source.getOffset();
    context.forward(record.withKey(ref).withValue(out.build()));
  }
}
