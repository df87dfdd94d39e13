package dev.trustledger.bench;

import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.testkit.KafkaCluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/** What the load generators share: seeded keys, and nodes started on the in-JVM cluster. */
final class BenchNodes {
  private BenchNodes() {}

  /** A key from {@code random}: the same seed gives the same agents in every run. */
  static Ed25519PrivateKey key(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  /**
   * A node of application {@code appId} on an HTTP port of its own, with {@code extra} settings,
   * once it is ready.
   */
  static LedgerNode start(
      KafkaCluster cluster, String appId, String name, Map<String, Object> extra) throws Exception {
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory(appId + "-" + name), appId);
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    values.putAll(extra);
    LedgerNode node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
    if (!node.awaitReady(Duration.ofSeconds(120))) {
      throw new IllegalStateException(name + " node not ready");
    }
    return node;
  }
}
