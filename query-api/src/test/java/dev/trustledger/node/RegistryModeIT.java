package dev.trustledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.RejectionReason;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.cli.LedgerCli;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.serde.SerdeException;
import dev.trustledger.serde.SingleObjectFormat;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.testutil.ApicurioRegistry;
import dev.trustledger.testutil.Fixtures;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The node with {@code schema.registry.url} set, against a real Apicurio Registry: every publishing
 * path (the HTTP API, the CLI over Kafka, the publisher library) lands, the ledger's outputs are in
 * the Confluent wire format, a single-object record on the same topic is read too, a record of an
 * unknown schema id is rejected with its reason, and the log exports and audits through the
 * registry.
 */
class RegistryModeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Ed25519PrivateKey ACME = Fixtures.key("registry-acme");
  private static final Ed25519PrivateKey BOT = Fixtures.key("registry-bot");
  private static final Ed25519PrivateKey HELPER = Fixtures.key("registry-helper");
  private static KafkaCluster cluster;
  private static ApicurioRegistry registry;
  private static LedgerNode node;
  private static Path dir;
  private static String registryUrl;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.start(1);
    registry = ApicurioRegistry.start();
    registryUrl = registry.ccompatUrl();
    dir = Files.createTempDirectory("registry-mode");
    Map<String, Object> values =
        LedgerSetup.config(cluster.bootstrapServers(), dir.resolve("state"), "registry-mode");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    values.put(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
    node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
    assertThat(node.awaitReady(Duration.ofSeconds(60))).isTrue();
    KeyFiles.writePrivateKey(dir.resolve("admin.key"), LedgerDriver.ADMIN, Map.of("Kind", "admin"));
    KeyFiles.writePrivateKey(
        dir.resolve("acme.key"), ACME, Map.of("Kind", "sponsor", "Id", Signer.sponsor(ACME).id()));
    KeyFiles.writePrivateKey(
        dir.resolve("bot.key"), BOT, Map.of("Kind", "agent", "Id", Signer.agent(BOT).id()));
    KeyFiles.writePrivateKey(
        dir.resolve("helper.key"),
        HELPER,
        Map.of("Kind", "agent", "Id", Signer.agent(HELPER).id()));
    KeyFiles.writePublicKey(dir.resolve("ledger.key.pub"), LedgerDriver.LEDGER_KEY.publicKey());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  record Run(int exit, String out) {}

  static Run ledger(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = LedgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return new Run(cli.execute(args), out.toString());
  }

  @Test
  void everyPathPublishesExportsAndAuditsThroughTheRegistry() throws Exception {
    String bootstrap = cluster.bootstrapServers();
    String sponsor = Signer.sponsor(ACME).id();
    String bot = Signer.agent(BOT).id();
    String helper = Signer.agent(HELPER).id();

    // 1. The HTTP API (POST /v1/events), by the CLI's --url.
    Run viaHttp =
        ledger(
            "sponsor",
            "register",
            "--url",
            node.url(),
            "--admin-key",
            dir.resolve("admin.key").toString(),
            "--sponsor-key",
            dir.resolve("acme.key").toString(),
            "--name",
            "acme",
            "--contact",
            "ops@acme.example");
    assertThat(viaHttp.exit()).as(viaHttp.out()).isZero();

    // 2. The CLI straight to Kafka, framing with the registry, waiting for the decision.
    for (String[] agent :
        List.of(new String[] {"bot.key", "bot"}, new String[] {"helper.key", "helper"})) {
      Run viaKafka =
          ledger(
              "agent",
              "register",
              "--bootstrap",
              bootstrap,
              "--schema-registry-url",
              registryUrl,
              "--ledger-key",
              dir.resolve("ledger.key.pub").toString(),
              "--sponsor-key",
              dir.resolve("acme.key").toString(),
              "--agent-key",
              dir.resolve(agent[0]).toString(),
              "--name",
              agent[1]);
      assertThat(viaKafka.exit()).as(viaKafka.out()).isZero();
      assertThat(viaKafka.out()).contains("accepted: seq");
    }

    // 3. The publisher library with the registry's format, and 4. a single-object record from a
    // publisher without a registry, on the same topic: both read and decided.
    SignedEvent framed =
        Events.report(bot, "ix-registry", 90, Severity.LOW, "quality")
            .eventId("rep-registry")
            .issuedAt(System.currentTimeMillis())
            .sign(Signer.agent(HELPER));
    SignedEvent single =
        Events.report(bot, "ix-single", 80, Severity.LOW, "quality")
            .eventId("rep-single")
            .issuedAt(System.currentTimeMillis())
            .sign(Signer.agent(HELPER));
    try (LedgerPublisher withRegistry =
            LedgerPublisher.create(bootstrap, LedgerFormats.of(registryUrl).events());
        LedgerPublisher withoutRegistry =
            LedgerPublisher.create(
                bootstrap, SingleObjectFormat.of(SignedEvent.getClassSchema()))) {
      withRegistry.publish(framed).get();
      withoutRegistry.publish(single).get();
    }
    // 5. Confluent framing with a schema id the registry never gave out.
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(LedgerPublisher.producerConfig(bootstrap, Map.of()))) {
      raw.send(
              new ProducerRecord<>(
                  LedgerPublisher.EVENTS_TOPIC,
                  bot,
                  new byte[] {0, 0, 0, 0x7f, (byte) 0xff, 2, 4, 6}))
          .get();
    }
    for (String event : List.of("rep-registry", "rep-single")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(bot, event).contains("\"status\":\"accepted\""));
    }

    // Every path framed its input as it should: the node, the CLI and the registry publisher in
    // the Confluent wire format (00), the publisher without a registry in single-object (c3 01).
    LedgerFormats formats = LedgerFormats.of(registryUrl);
    Map<String, Byte> framing = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(LedgerTopics.DEFAULT.events(), 6)) {
      try {
        framing.put(formats.events().decode(r.topic(), r.value()).getEventId(), r.value()[0]);
      } catch (SerdeException e) {
        assertThat(r.value()[3])
            .as("only the record of the unknown schema id")
            .isEqualTo((byte) 0x7f);
      }
    }
    assertThat(framing).hasSize(5).containsEntry("rep-single", (byte) 0xC3);
    framing.remove("rep-single");
    assertThat(framing.values()).as("framing of " + framing.keySet()).containsOnly((byte) 0);

    // The ledger's own records are in the Confluent wire format; the rejection names the id.
    List<ConsumerRecord<byte[], byte[]>> entries = readAll(LedgerTopics.DEFAULT.entries(), 6);
    assertThat(entries).allSatisfy(r -> assertThat(r.value()[0]).isZero());
    List<Rejection> rejections = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(LedgerTopics.DEFAULT.rejections(), 1)) {
      assertThat(r.value()[0]).isZero();
      rejections.add(formats.rejections().decode(r.topic(), r.value()));
    }
    assertThat(rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo(RejectionReason.UNSUPPORTED_SCHEMA);
              assertThat(r.getDetail()).contains(String.valueOf(0x7fff));
            });

    // Export and audit, reading through the registry.
    Thread.sleep(1_500); // a checkpoint interval
    Path export = dir.resolve("export.jsonl");
    Run exported =
        ledger(
            "export",
            "--bootstrap",
            bootstrap,
            "--schema-registry-url",
            registryUrl,
            "--out",
            export.toString());
    assertThat(exported.exit()).as(exported.out()).isZero();
    assertThat(Files.readString(export)).contains("rep-registry").contains("rep-single");
    Run offline =
        ledger(
            "audit",
            "--file",
            export.toString(),
            "--ledger-key",
            dir.resolve("ledger.key.pub").toString());
    assertThat(offline.exit()).as(offline.out()).isZero();
    Run online =
        ledger(
            "audit",
            "--bootstrap",
            bootstrap,
            "--schema-registry-url",
            registryUrl,
            "--ledger-key",
            dir.resolve("ledger.key.pub").toString());
    assertThat(online.exit()).as(online.out()).isZero();
    assertThat(online.out()).contains("OK: the log verifies");

    // Without the registry, the auditor names what stops it instead of misreading the records.
    Run blind =
        ledger(
            "audit",
            "--bootstrap",
            bootstrap,
            "--ledger-key",
            dir.resolve("ledger.key.pub").toString());
    assertThat(blind.exit()).isNotZero();
    assertThat(blind.out()).contains("Confluent wire format").contains("schema registry");
  }

  private static String status(String subject, String event) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + "/v1/events/" + subject + "/" + event))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= atLeast;
              });
    }
    return out;
  }
}
