package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Hex;
import dev.trustledger.event.EventDraft;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.Outcomes;
import dev.trustledger.json.AvroJson;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SingleObjectFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/** How a publishing command sends its event: to a node over HTTP (default) or to Kafka. */
final class PublishOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Ledger node to publish through (POST /v1/events): a URL or host:port. Default:"
              + " $LEDGER_URL, else 'url' in cli.properties (./.ledger/cli.properties, which"
              + " 'ledger dev' writes), else "
              + CliConfig.DEFAULT_URL
              + ".")
  String url;

  @Option(
      names = "--bootstrap",
      description = "Publish straight to Kafka at these bootstrap servers instead of a node.")
  String bootstrap;

  @Option(
      names = "--kafka-config",
      description =
          "Kafka client settings (security.protocol, sasl.*, ssl.*) as a properties file, for a"
              + " secured cluster (with --bootstrap).")
  Path kafkaConfig;

  @Option(names = "--event-id", description = "Event id (default: a random UUID).")
  String eventId;

  @Option(names = "--no-wait", description = "Do not wait for the ledger's decision (HTTP only).")
  boolean noWait;

  @Option(
      names = "--ledger-key",
      description =
          "The ledger's public key, to check that the answers are the ledger's (verifier key, hex,"
              + " base64url or PEM file). Default: the key the node names in GET /v1/ledger.")
  String ledgerKey;

  @Option(
      names = "--timeout",
      defaultValue = "15",
      description =
          "Seconds to wait for the node, the broker and the decision. Default: ${DEFAULT-VALUE}")
  int timeoutSeconds;

  EventDraft prepare(EventDraft draft) {
    return eventId == null ? draft : draft.eventId(eventId);
  }

  /** Sends the event and prints what happened; returns the exit code. */
  int send(SignedEvent event, PrintWriter out) {
    if (bootstrap != null) {
      return sendToKafka(event, out);
    }
    HttpLedger node =
        new HttpLedger(CliConfig.current().url(url), Duration.ofSeconds(timeoutSeconds));
    HttpLedger.Answer answer = node.post("/v1/events", AvroJson.toJson(event).toString());
    if (answer.status() != 202) {
      out.println("refused (" + answer.status() + "): " + HttpLedger.detail(answer));
      return answer.status() == 422 ? ExitCodes.NO : ExitCodes.USAGE;
    }
    Ed25519PublicKey key = ledgerKey(node);
    requireSigned(answer.body(), key);
    out.println("published " + event.getEventId() + " about " + event.getSubjectId());
    if (noWait) {
      return ExitCodes.OK;
    }
    // Ask about this very event (its hash), not whatever else was sent under its id.
    String statusUrl = answer.body().get("status_url").asText();
    if (!statusUrl.contains("event_hash=")) {
      statusUrl += "?event_hash=" + Hex.encode(EventHashes.of(event));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long pause = 20;
    while (System.nanoTime() < deadline) {
      HttpLedger.Answer status = node.get(statusUrl);
      JsonNode body = status.body();
      String state = body.path("status").asText();
      if (state.equals("accepted") || state.equals("rejected")) {
        requireSigned(body, key);
      }
      if (state.equals("accepted")) {
        out.println(
            "accepted: seq "
                + body.get("seq").asLong()
                + ", ledger_seq "
                + body.get("ledger_seq").asLong()
                + ", entry "
                + body.get("entry_hash").asText());
        return ExitCodes.OK;
      }
      if (state.equals("rejected")) {
        out.println(
            "rejected: " + body.get("reason").asText() + " (" + body.path("detail").asText() + ")");
        return ExitCodes.NO;
      }
      sleep(pause);
      pause = Math.min(200, pause * 2);
    }
    out.println(
        "still pending after "
            + timeoutSeconds
            + " s; check "
            + CliConfig.current().url(url)
            + statusUrl);
    return ExitCodes.UNREACHABLE;
  }

  /** The ledger key to check answers with: the one given, or the one the node names. */
  private Ed25519PublicKey ledgerKey(HttpLedger node) {
    if (ledgerKey != null) {
      return KeyOptions.publicKey(ledgerKey, "ledger");
    }
    HttpLedger.Answer l = node.get("/v1/ledger");
    if (l.status() != 200) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "the node does not describe its ledger: " + HttpLedger.detail(l));
    }
    return Ed25519PublicKey.of(Hex.decode(l.body().get("public_key").asText()));
  }

  private static void requireSigned(JsonNode answer, Ed25519PublicKey key) {
    boolean signed;
    try {
      signed = Outcomes.verifyAnswer(answer, key);
    } catch (IllegalArgumentException e) {
      signed = false;
    }
    if (!signed) {
      throw new CliException(
          ExitCodes.ENVIRONMENT, "the node's answer is not signed by the ledger key: " + answer);
    }
  }

  private int sendToKafka(SignedEvent event, PrintWriter out) {
    Map<String, Object> overrides = new HashMap<>(Brokers.settings(bootstrap, kafkaConfig));
    overrides.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutSeconds * 1000);
    overrides.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000 + 1000);
    overrides.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 500);
    try (LedgerPublisher publisher =
        LedgerPublisher.create(
            bootstrap, SingleObjectFormat.of(SignedEvent.getClassSchema()), overrides)) {
      var metadata = publisher.publish(event).get(timeoutSeconds + 1, TimeUnit.SECONDS);
      out.println(
          "published "
              + event.getEventId()
              + " to "
              + metadata.topic()
              + "/"
              + metadata.partition()
              + " at offset "
              + metadata.offset());
      return ExitCodes.OK;
    } catch (Exception e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "Kafka at " + bootstrap + " did not take the event: " + e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
