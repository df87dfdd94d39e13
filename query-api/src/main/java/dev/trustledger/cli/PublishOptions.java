package dev.trustledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.event.EventDraft;
import dev.trustledger.event.EventHashes;
import dev.trustledger.event.Outcomes;
import dev.trustledger.json.AvroJson;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.topic.LedgerFormats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a publishing command sends its event: to a node over HTTP (default) or to Kafka. */
final class PublishOptions {
  @Mixin NodeOption node;

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

  @Option(
      names = "--no-wait",
      description =
          "Do not wait for the ledger's decision (over HTTP, or on ledger.entries and"
              + " ledger.rejections with --bootstrap).")
  boolean noWait;

  @Option(
      names = "--schema-registry-url",
      description =
          "With --bootstrap: the schema registry of a ledger that uses the Confluent wire format.")
  String registryUrl;

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

  @Option(
      names = "--json",
      description =
          "Print one JSON object: event_id, subject_id, event_hash and status (refused, published,"
              + " accepted, rejected, pending), with seq, ledger_seq and entry_hash when accepted,"
              + " reason and detail when rejected or refused.")
  boolean json;

  /**
   * What became of a published event.
   *
   * @param status refused, published (not waited for), accepted, rejected or pending
   */
  record Result(
      int exit,
      String status,
      Long seq,
      Long ledgerSeq,
      String entryHash,
      String reason,
      String detail,
      String where) {
    static Result of(int exit, String status) {
      return new Result(exit, status, null, null, null, null, null, null);
    }
  }

  /** Sends the event and prints what happened (as text, or JSON); returns the exit code. */
  int send(SignedEvent event, PrintWriter out) {
    Result r = bootstrap != null ? sendToKafka(event, out) : sendToNode(event, out);
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("event_id", event.getEventId());
      o.put("subject_id", event.getSubjectId());
      o.put("event_hash", Hex.encode(EventHashes.of(event)));
      o.put("status", r.status());
      if (r.seq() != null) {
        o.put("seq", r.seq()).put("ledger_seq", r.ledgerSeq()).put("entry_hash", r.entryHash());
      }
      if (r.reason() != null) {
        o.put("reason", r.reason()).put("detail", r.detail());
      }
      if (r.where() != null) {
        o.put("status_url", r.where());
      }
      out.println(o.toPrettyString());
      return r.exit();
    }
    switch (r.status()) {
      case "accepted" ->
          out.println(
              "accepted: seq "
                  + r.seq()
                  + ", ledger_seq "
                  + r.ledgerSeq()
                  + ", entry "
                  + r.entryHash());
      case "rejected" ->
          out.println(
              "rejected: "
                  + r.reason().toUpperCase(java.util.Locale.ROOT)
                  + " ("
                  + r.detail()
                  + ")");
      case "refused" -> out.println("refused (" + r.reason() + "): " + r.detail());
      case "pending" ->
          out.println(
              "still pending after "
                  + timeoutSeconds
                  + " s"
                  + (r.where() != null ? "; check " + r.where() : "")
                  + (bootstrap != null ? " (is a ledger node running?)" : ""));
      default -> {}
    }
    return r.exit();
  }

  private void progress(PrintWriter out, String line) {
    if (!json) {
      out.println(line);
    }
  }

  private Result sendToNode(SignedEvent event, PrintWriter out) {
    String base = node.url();
    HttpLedger node = new HttpLedger(base, Duration.ofSeconds(timeoutSeconds));
    HttpLedger.Answer answer = node.post("/v1/events", AvroJson.toJson(event).toString());
    if (answer.status() != 202) {
      return new Result(
          answer.status() == 422
              ? ExitCodes.NO
              : answer.status() >= 500 ? ExitCodes.UNREACHABLE : ExitCodes.USAGE,
          "refused",
          null,
          null,
          null,
          Integer.toString(answer.status()),
          HttpLedger.detail(answer),
          null);
    }
    Ed25519PublicKey key = ledgerKey(node);
    requireSigned(answer.body(), key);
    progress(out, "published " + event.getEventId() + " about " + event.getSubjectId());
    if (noWait) {
      return Result.of(ExitCodes.OK, "published");
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
        return new Result(
            ExitCodes.OK,
            "accepted",
            body.get("seq").asLong(),
            body.get("ledger_seq").asLong(),
            body.get("entry_hash").asText(),
            null,
            null,
            base + statusUrl);
      }
      if (state.equals("rejected")) {
        return new Result(
            ExitCodes.NO,
            "rejected",
            null,
            null,
            null,
            body.get("reason").asText(),
            body.path("detail").asText(),
            base + statusUrl);
      }
      sleep(pause);
      pause = Math.min(200, pause * 2);
    }
    return new Result(
        ExitCodes.UNREACHABLE, "pending", null, null, null, null, null, base + statusUrl);
  }

  /** The ledger key to check answers with: the one given, or the one the node names. */
  private Ed25519PublicKey ledgerKey(HttpLedger node) {
    if (ledgerKey != null) {
      return KeyOptions.publicKey(ledgerKey, "ledger");
    }
    // A new ledger answers 503 until its genesis is written: wait for it, within --timeout.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    HttpLedger.Answer l = node.get("/v1/ledger");
    while (l.status() == 503 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      l = node.get("/v1/ledger");
    }
    if (l.status() != 200) {
      throw new CliException(
          ExitCodes.UNREACHABLE, "the node does not describe its ledger: " + HttpLedger.detail(l));
    }
    return KeyOptions.publicKey(l.body().get("public_key").asText(), "ledger");
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

  private Result sendToKafka(SignedEvent event, PrintWriter out) {
    Map<String, Object> kafka = Brokers.settings(bootstrap, kafkaConfig);
    Map<String, Object> overrides = new HashMap<>(kafka);
    overrides.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutSeconds * 1000);
    overrides.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000 + 1000);
    overrides.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 500);
    LedgerFormats formats = LedgerFormats.of(registryUrl);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    KafkaDecision decision = null;
    try (LedgerPublisher publisher =
        LedgerPublisher.create(bootstrap, formats.events(), overrides)) {
      if (!noWait) {
        decision = new KafkaDecision(kafka, formats, timeout);
      }
      var metadata = publisher.publish(event).get(timeoutSeconds + 1, TimeUnit.SECONDS);
      progress(
          out,
          "published "
              + event.getEventId()
              + " about "
              + event.getSubjectId()
              + " to "
              + metadata.topic()
              + "/"
              + metadata.partition()
              + " at offset "
              + metadata.offset());
    } catch (Exception e) {
      if (decision != null) {
        decision.close();
      }
      if (e instanceof CliException c) {
        throw c;
      }
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "Kafka at " + bootstrap + " did not take the event: " + e.getMessage());
    }
    if (decision == null) {
      return Result.of(ExitCodes.OK, "published");
    }
    try (KafkaDecision d = decision) {
      Optional<KafkaDecision.Decision> found = d.await(event, timeout);
      if (found.isEmpty()) {
        return Result.of(ExitCodes.UNREACHABLE, "pending");
      }
      if (found.get() instanceof KafkaDecision.Accepted a) {
        return new Result(
            ExitCodes.OK,
            "accepted",
            a.entry().getSeq(),
            a.entry().getLedgerSeq(),
            Hex.encode(Buffers.toArray(a.entry().getEntryHash())),
            null,
            null,
            null);
      }
      Rejection r = ((KafkaDecision.Rejected) found.get()).rejection();
      return new Result(
          ExitCodes.NO,
          "rejected",
          null,
          null,
          null,
          r.getReason().name().toLowerCase(java.util.Locale.ROOT),
          r.getDetail(),
          null);
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
