package dev.trustledger.node;

import dev.trustledger.api.ApiApp;
import dev.trustledger.api.ApiOptions;
import dev.trustledger.api.KeyDirectory;
import dev.trustledger.api.StoreLocator;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.runtime.LedgerRuntime;
import dev.trustledger.ledger.store.SignerKeyValues;
import dev.trustledger.ledger.store.StoreNames;
import dev.trustledger.publish.LedgerPublisher;
import dev.trustledger.topic.LedgerFormats;
import dev.trustledger.witness.WitnessClient;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ledger node: the Streams topology and the HTTP API in one JVM. Queries for state held by
 * another node of the same application are answered through that node.
 */
public final class LedgerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerNode.class);

  private final LedgerRuntime runtime;
  private final LedgerPublisher publisher;
  private final Javalin http;
  private final HostInfo self;
  private final WitnessClient witnesses;
  private final OperationsMetrics operations;

  private LedgerNode(
      LedgerRuntime runtime,
      LedgerPublisher publisher,
      Javalin http,
      HostInfo self,
      WitnessClient witnesses,
      OperationsMetrics operations) {
    this.runtime = runtime;
    this.publisher = publisher;
    this.http = http;
    this.self = self;
    this.witnesses = witnesses;
    this.operations = operations;
  }

  /** Starts the topology and the API; the HTTP port must be free. */
  public static LedgerNode start(LedgerConfig config, Ed25519PrivateKey ledgerKey)
      throws Exception {
    String host = config.getString(LedgerConfig.HTTP_HOST_CONFIG);
    int port = config.getInt(LedgerConfig.HTTP_PORT_CONFIG);
    if (port == 0) {
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        port = probe.getLocalPort();
      }
    }
    String advertised = config.getString(LedgerConfig.HTTP_ADVERTISED_HOST_CONFIG);
    HostInfo self = new HostInfo(advertised.isEmpty() ? host : advertised, port);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LedgerRuntime runtime =
        LedgerRuntime.start(
            config,
            ledgerKey,
            Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port()),
            new NodeMetrics(metrics));
    KafkaStreams streams = runtime.streams();
    LedgerFormats formats =
        LedgerFormats.of(config.getString(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG));
    LedgerPublisher publisher =
        LedgerPublisher.create(
            config.getString(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG),
            formats.events(),
            config.kafkaClientSettings());
    String forwardUrl = config.getString(LedgerConfig.NODE_FORWARD_URL_CONFIG);
    StoreLocator locator =
        runtime.role() == LedgerConfig.Role.FULL
            ? () -> locate(streams, self)
            : () ->
                forwardUrl.isEmpty()
                    ? StoreLocator.Location.unavailable()
                    : StoreLocator.Location.remote(forwardUrl.replaceAll("/+$", ""));
    Gauge.builder("ledger.principals", runtime, r -> r.views().model().principalCount())
        .description("Principals in this node's read model")
        .register(metrics);
    Gauge.builder("ledger.views.seq", runtime, r -> r.views().model().ledgerSeq())
        .description("The ledger_seq this node's read model reflects")
        .register(metrics);
    Gauge.builder("ledger.views.refused", runtime, r -> r.views().refused())
        .description("Records of ledger.views refused because their MAC does not verify")
        .register(metrics);
    OperationsMetrics operations =
        new OperationsMetrics(config, runtime, metrics, Clock.systemUTC());
    ApiOptions options =
        new ApiOptions(
            config.getLong(LedgerConfig.HTTP_MAX_BODY_BYTES_CONFIG),
            config.getPassword(LedgerConfig.HTTP_READ_TOKEN_CONFIG).value(),
            config.getList(LedgerConfig.HTTP_CORS_ORIGINS_CONFIG),
            config.getPassword(LedgerConfig.HTTP_METRICS_TOKEN_CONFIG).value(),
            config.getInt(LedgerConfig.HTTP_MAX_THREADS_CONFIG),
            config.getInt(LedgerConfig.HTTP_MAX_BODY_READERS_CONFIG));
    WitnessClient witnesses =
        new WitnessClient(
                runtime.reader(),
                config.witnesses().stream()
                    .map(w -> new WitnessClient.Endpoint(w.key(), w.url()))
                    .toList(),
                config.witnessQuorum(),
                metrics)
            .start(Duration.ofMillis(250));
    dev.trustledger.crypto.KeyRing ring = config.keyRing(ledgerKey);
    String ledgerId =
        dev.trustledger.id.PrincipalIds.of(
            dev.trustledger.avro.PrincipalKind.LEDGER, ledgerKey.publicKey().raw());
    String issuer = config.getString(LedgerConfig.SSF_ISSUER_CONFIG);
    if (issuer.isEmpty()) {
      issuer = "urn:trustledger:" + ledgerId;
    }
    java.nio.file.Path ssfDir =
        java.nio.file.Path.of(config.getString(LedgerConfig.STATE_DIR_CONFIG), "ssf");
    java.nio.file.Files.createDirectories(ssfDir);
    dev.trustledger.ssf.Transmitter ssf =
        new dev.trustledger.ssf.Transmitter(
            runtime.views().model(),
            issuer,
            config.getString(LedgerConfig.SSF_AUDIENCE_CONFIG),
            ledgerId,
            () ->
                runtime
                    .views()
                    .model()
                    .head()
                    .flatMap(
                        h -> ring.find(dev.trustledger.encoding.Buffers.toArray(h.getPublicKey())))
                    .orElse(ring.identity()),
            Clock.systemUTC(),
            config.getList(LedgerConfig.SSF_PUSH_URLS_CONFIG).stream()
                .map(java.net.URI::create)
                .toList(),
            config.getPassword(LedgerConfig.SSF_PUSH_TOKEN_CONFIG).value(),
            ssfDir);
    ApiApp.Deps deps =
        new ApiApp.Deps(
            runtime.reader(),
            keys(config.adminKeys(), streams, runtime),
            publisher::publish,
            formats.events(),
            locator,
            Clock.systemUTC(),
            runtime::readsReady,
            metrics,
            options,
            witnesses,
            ring,
            runtime.views().model(),
            config.getLong(LedgerConfig.HTTP_MIN_SEQ_WAIT_MS_CONFIG),
            () ->
                new dev.trustledger.api.Views.NodeInfo(
                    runtime.role().name().toLowerCase(java.util.Locale.ROOT),
                    sequencerUrl(locator.locate(), self),
                    runtime.waitingFor().orElse(null)),
            ssf,
            issuer);
    Javalin http;
    try {
      http = ApiApp.create(deps).start(host, port);
    } catch (RuntimeException e) {
      operations.close();
      witnesses.close();
      publisher.close();
      runtime.close();
      throw new IllegalStateException(
          "HTTP port " + host + ":" + port + " cannot be used: " + e.getMessage(), e);
    }
    LOG.info("ledger node serving on http://{}:{}", host, port);
    return new LedgerNode(runtime, publisher, http, self, witnesses, operations);
  }

  /**
   * Signer keys for the API's first check of a posted event: the global key store (admins and
   * registered principals, as the ledger published them), then the read model, then the configured
   * admins (before the genesis is written). The sequencer checks again with the keys of its own
   * state.
   */
  private static KeyDirectory keys(
      Map<String, Ed25519PublicKey> admins, KafkaStreams streams, LedgerRuntime runtime) {
    return id -> {
      byte[] key;
      try {
        ReadOnlyKeyValueStore<String, byte[]> store =
            streams.store(
                StoreQueryParameters.fromNameAndType(
                    StoreNames.SIGNER_KEYS, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        key = SignerKeyValues.key(store.get(id));
      } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
        // Still restoring at start: the read model knows every registered principal's key.
        key = null;
      }
      if (key != null) {
        return Optional.of(key);
      }
      Optional<byte[]> viewed =
          runtime
              .reader()
              .principal(id)
              .map(p -> dev.trustledger.encoding.Buffers.toArray(p.getPublicKey()));
      if (viewed.isPresent()) {
        return viewed;
      }
      try {
        // Where the sequencer runs, its own store is ahead of both by a commit.
        Optional<byte[]> local =
            runtime
                .stores()
                .principal(id)
                .map(p -> dev.trustledger.encoding.Buffers.toArray(p.getPublicKey()));
        if (local.isPresent()) {
          return local;
        }
      } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
        // not here, or not yet
      }
      return Optional.ofNullable(admins.get(id)).map(Ed25519PublicKey::raw);
    };
  }

  private static String sequencerUrl(StoreLocator.Location location, HostInfo self) {
    return switch (location.kind()) {
      case LOCAL -> "http://" + self.host() + ":" + self.port();
      case REMOTE -> location.baseUrl();
      case UNAVAILABLE -> null;
    };
  }

  /** All sequencer stores live in one task: its active host serves every query. */
  private static StoreLocator.Location locate(KafkaStreams streams, HostInfo self) {
    KeyQueryMetadata metadata;
    try {
      metadata =
          streams.queryMetadataForKey(StoreNames.PRINCIPALS, "", Serdes.String().serializer());
    } catch (RuntimeException e) {
      return StoreLocator.Location.unavailable();
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return StoreLocator.Location.unavailable();
    }
    HostInfo active = metadata.activeHost();
    if (active.equals(self)) {
      return StoreLocator.Location.local();
    }
    return StoreLocator.Location.remote("http://" + active.host() + ":" + active.port());
  }

  public int port() {
    return http.port();
  }

  public String url() {
    return "http://" + self.host() + ":" + http.port();
  }

  public KafkaStreams streams() {
    return runtime.streams();
  }

  /**
   * Why the ledger stopped for good, when it did (e.g. a configuration that contradicts the log).
   */
  public Optional<String> fatalError() {
    return runtime.fatalError();
  }

  /** What the node waits for before it answers reads, or empty when it does. */
  public Optional<String> waitingFor() {
    return runtime.waitingFor();
  }

  /** The node's runtime: its Streams, read model and stores. */
  public LedgerRuntime runtime() {
    return runtime;
  }

  /**
   * Waits until the node answers every read and a full node's decisions can be asked for: its read
   * model caught up, its global stores restored, the sequencer task placed ({@code /readyz} says
   * ready as soon as the read model has caught up).
   *
   * @throws IllegalStateException when the ledger stops for good while starting
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> fatal = runtime.fatalError();
      if (fatal.isPresent()) {
        throw new IllegalStateException(fatal.get());
      }
      boolean decisions =
          runtime.role() == LedgerConfig.Role.READER
              || runtime.streams().state() == KafkaStreams.State.RUNNING
                  && locate(runtime.streams(), self).kind()
                      != StoreLocator.Location.Kind.UNAVAILABLE;
      if (runtime.readsReady() && runtime.logReady() && decisions) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** Publishes an event through this node's producer. */
  public void publish(SignedEvent event) throws Exception {
    publisher.publish(event).get();
  }

  @Override
  public void close() {
    operations.close();
    witnesses.close();
    http.stop();
    publisher.close();
    runtime.close();
  }
}
