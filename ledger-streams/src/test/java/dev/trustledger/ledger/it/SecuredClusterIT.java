package dev.trustledger.ledger.it;

import static dev.trustledger.ledger.testkit.Cast.registerSponsor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.ledger.audit.AuditLog;
import dev.trustledger.ledger.audit.AuditReport;
import dev.trustledger.ledger.audit.Located;
import dev.trustledger.ledger.audit.LogAuditor;
import dev.trustledger.ledger.audit.TopicLogReader;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.ledger.topology.LedgerTopology;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.topic.LedgerTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger on a cluster that authenticates its clients (SASL/PLAIN) and authorizes them by ACLs
 * ({@code StandardAuthorizer}), with nothing granted but {@link #acls(String)}. It proves that
 *
 * <ul>
 *   <li>the ledger's {@code kafka.*} settings reach every Kafka client of a node: its admin creates
 *       the topics, Kafka Streams runs, and a publisher made as the node makes its own publisher
 *       publishes, all logged in as {@code ledger} (the only principal with rights on the topics
 *       the node creates and the Streams internals);
 *   <li>these ACLs suffice: the ledger principal creates its topics and decides events; the
 *       publisher principal publishes a signed event that is accepted; the auditor principal reads
 *       the whole log with {@link TopicLogReader} and the audit finds no problem;
 *   <li>and they are no wider than the roles: the publisher is refused on {@code ledger.keys},
 *       {@code ledger.entries} and the sequencer topic, the auditor on {@code ledger.events}.
 * </ul>
 */
class SecuredClusterIT {
  private static final String LEDGER = "ledger";
  private static final String PUBLISHER = "publisher";
  private static final String AUDITOR = "auditor";
  private static final Map<String, String> USERS =
      Map.of(
          KafkaCluster.SUPER_USER,
          "admin-secret",
          LEDGER,
          "ledger-secret",
          PUBLISHER,
          "publisher-secret",
          AUDITOR,
          "auditor-secret");
  private static final LedgerTopics TOPICS = LedgerTopics.DEFAULT;
  private static final LedgerFormats FORMATS = LedgerFormats.singleObject();
  private static final long NOW = System.currentTimeMillis();

  private static KafkaCluster cluster;
  private static LedgerConfig config;
  private static LedgerRuntime ledger;

  /**
   * Every ACL of the cluster: the ledger node's, the publisher's and the auditor's. The Streams
   * internals (repartition and changelog topics, the consumer group, transactional ids) are named
   * after the application id.
   */
  static List<AclBinding> acls(String applicationId) {
    List<AclBinding> acls = new ArrayList<>();
    allow(
        acls,
        LEDGER,
        ResourceType.TOPIC,
        PatternType.PREFIXED,
        "ledger.",
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.DESCRIBE,
        AclOperation.CREATE);
    allow(acls, LEDGER, ResourceType.TOPIC, PatternType.PREFIXED, applicationId, AclOperation.ALL);
    allow(acls, LEDGER, ResourceType.GROUP, PatternType.PREFIXED, applicationId, AclOperation.READ);
    allow(
        acls,
        LEDGER,
        ResourceType.TRANSACTIONAL_ID,
        PatternType.PREFIXED,
        applicationId,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    allow(
        acls,
        PUBLISHER,
        ResourceType.TOPIC,
        PatternType.LITERAL,
        TOPICS.events(),
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    allow(
        acls,
        AUDITOR,
        ResourceType.TOPIC,
        PatternType.PREFIXED,
        "ledger.",
        AclOperation.READ,
        AclOperation.DESCRIBE);
    return acls;
  }

  private static void allow(
      List<AclBinding> acls,
      String user,
      ResourceType type,
      PatternType pattern,
      String name,
      AclOperation... operations) {
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              new ResourcePattern(type, name, pattern),
              new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaCluster.startSecured(1, USERS);
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory("secured-it"), "unused");
    values.remove(LedgerConfig.APPLICATION_ID_CONFIG); // the default one, as in production
    values.put("kafka.security.protocol", "SASL_PLAINTEXT");
    values.put("kafka.sasl.mechanism", "PLAIN");
    values.put(
        "kafka.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"ledger\" password=\"ledger-secret\";");
    config = new LedgerConfig(values);

    List<AclBinding> acls = acls(applicationId());
    try (Admin admin = Admin.create(cluster.clientSettings(KafkaCluster.SUPER_USER))) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      // The broker authorizes from its copy of the metadata, which follows the controller's.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls));
    }
    ledger = LedgerSetup.startRuntime(config);
  }

  @AfterAll
  static void stop() {
    try {
      if (ledger != null) {
        ledger.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static String applicationId() {
    return config.getString(LedgerConfig.APPLICATION_ID_CONFIG);
  }

  @Test
  void eventsPublishedOnlyThroughTheGrantedRightsAreDecidedAndTheLogAudits() throws Exception {
    SignedEvent fromPublisher = registerSponsor("acme", NOW);
    SignedEvent fromNode = registerSponsor("globex", NOW);
    try (LedgerPublisher publisher =
        LedgerPublisher.create(
            cluster.bootstrapServers(), FORMATS.events(), cluster.clientSettings(PUBLISHER))) {
      publisher.publish(fromPublisher).get(30, TimeUnit.SECONDS);
    }
    // As a ledger node publishes what its API receives: with the node's own client settings.
    try (LedgerPublisher node =
        LedgerPublisher.create(
            config.getString(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG),
            FORMATS.events(),
            config.kafkaClientSettings())) {
      node.publish(fromNode).get(30, TimeUnit.SECONDS);
    }

    TopicLogReader reader = new TopicLogReader(cluster.clientSettings(AUDITOR), TOPICS, FORMATS);
    AuditLog log =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .failFast(
                "the ledger stopped",
                () ->
                    ledger.fatalError().isPresent()
                        || ledger.streams().state() == KafkaStreams.State.ERROR)
            .until(reader::read, l -> isAccepted(l, fromPublisher) && isAccepted(l, fromNode));

    AuditReport report = LogAuditor.of(LedgerDriver.LEDGER_KEY.publicKey()).audit(log);
    assertThat(report.problems()).isEmpty();
    assertThat(log.rejections()).isEmpty();
    assertThat(log.inputs()).hasSize(2);
    assertThat(report.entries()).isGreaterThanOrEqualTo(3); // genesis and two registrations
  }

  @Test
  void thePublisherCannotWriteTheLedgersOwnTopics() throws Exception {
    String sequencer = applicationId() + "-" + LedgerTopology.SEQUENCER + "-repartition";
    List<String> forbidden = List.of(TOPICS.keys(), TOPICS.entries(), sequencer);
    try (Admin admin = Admin.create(cluster.clientSettings(KafkaCluster.SUPER_USER))) {
      // Refused because forbidden, not because missing.
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(forbidden);
    }
    // The very producer settings of the publisher library, logged in as the publisher.
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            LedgerPublisher.producerConfig(
                cluster.bootstrapServers(), cluster.clientSettings(PUBLISHER)))) {
      for (String topic : forbidden) {
        assertRefused(producer, topic);
      }
    }
  }

  @Test
  void theAuditorCannotPublish() throws Exception {
    Map<String, Object> settings = new HashMap<>(cluster.clientSettings(AUDITOR));
    // Without idempotence, which the auditor has no right to either: the refusal is the topic's.
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(LedgerPublisher.producerConfig(cluster.bootstrapServers(), settings))) {
      assertRefused(producer, TOPICS.events());
    }
  }

  private static void assertRefused(KafkaProducer<String, byte[]> producer, String topic) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, "forged", "forged".getBytes(StandardCharsets.UTF_8));
    assertThat(catchThrowable(() -> producer.send(record).get(30, TimeUnit.SECONDS)))
        .as("writing to %s", topic)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            TopicAuthorizationException.class,
            e -> assertThat(e.unauthorizedTopics()).contains(topic));
  }

  private static boolean isAccepted(AuditLog log, SignedEvent event) {
    return log.entries().values().stream()
        .flatMap(List::stream)
        .map(Located::value)
        .filter(Objects::nonNull)
        .map(LedgerEntry::getEvent)
        .anyMatch(
            e ->
                e instanceof SignedEvent s
                    && s.getSubjectId().equals(event.getSubjectId())
                    && s.getEventId().equals(event.getEventId()));
  }
}
