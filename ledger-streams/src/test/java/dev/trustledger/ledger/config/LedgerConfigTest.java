package dev.trustledger.ledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustledger.avro.LedgerParameters;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.sequencer.Parameters;
import dev.trustledger.ledger.testkit.LedgerDriver;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** One configuration class: its ledger parameters and how they are held against the log. */
class LedgerConfigTest {
  private static final String ADMIN = Base64Url.encode(LedgerDriver.ADMIN.publicKey().raw());

  private static LedgerConfig config(Map<String, Object> values) {
    Map<String, Object> all = new HashMap<>(values);
    all.putIfAbsent(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, ADMIN);
    return new LedgerConfig(all);
  }

  @Test
  void defaultsMakeValidGenesisParameters() {
    LedgerParameters p = config(Map.of()).parameters();
    assertThat(Parameters.problem(p)).isEmpty();
    assertThat(p.getEntriesPartitions()).isEqualTo(3);
    assertThat(p.getReplayWindowMs()).isEqualTo(86_400_000L);
    assertThat(Parameters.of(p).admins()).hasSize(1);
  }

  @Test
  void aKeyLeftUnsetTakesTheLogsValue() {
    LedgerParameters log =
        LedgerParameters.newBuilder(config(Map.of()).parameters()).setReplayWindowMs(5_000).build();
    assertThat(config(Map.of()).differencesFrom(log)).isEmpty();
  }

  @Test
  void aKeySetToAnotherValueThanTheLogIsADifference() {
    LedgerParameters log = config(Map.of()).parameters();
    assertThat(config(Map.of(LedgerConfig.PRIOR_CONFIG, "0.6")).differencesFrom(log))
        .singleElement()
        .asString()
        .contains("trust.prior is 0.6 here, 0.5 in the log");
    assertThat(config(Map.of(LedgerConfig.PRIOR_CONFIG, "0.5")).differencesFrom(log)).isEmpty();
  }

  @Test
  void theEntriesPartitionsAreComparedEvenWhenUnset() {
    LedgerParameters log =
        LedgerParameters.newBuilder(config(Map.of()).parameters()).setEntriesPartitions(4).build();
    assertThat(config(Map.of()).differencesFrom(log))
        .singleElement()
        .asString()
        .contains("topics.entries.partitions");
  }

  @Test
  void adminsAreComparedAsSets() {
    LedgerParameters log = config(Map.of()).parameters();
    assertThat(
            config(Map.of(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, " " + ADMIN)).differencesFrom(log))
        .isEmpty();
    String other = Base64Url.encode(dev.trustledger.testutil.Fixtures.key("x").publicKey().raw());
    assertThat(config(Map.of(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, other)).differencesFrom(log))
        .singleElement()
        .asString()
        .startsWith("admin.public.keys");
  }

  @Test
  void badValuesAreRefusedWithTheirKey() {
    assertThatThrownBy(() -> config(Map.of(LedgerConfig.LEDGER_NAME_CONFIG, "a b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledger.name");
    assertThatThrownBy(() -> config(Map.of(LedgerConfig.ADMIN_PUBLIC_KEYS_CONFIG, "nope")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.public.keys");
    assertThatThrownBy(() -> config(Map.of(LedgerConfig.EXCEPTION_POLICY_CONFIG, "ignore")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void theExceptionPolicyIsFailUnlessChosen() {
    assertThat(config(Map.of()).exceptionPolicy()).isEqualTo(LedgerConfig.ExceptionPolicy.FAIL);
    assertThat(config(Map.of(LedgerConfig.EXCEPTION_POLICY_CONFIG, "REJECT")).exceptionPolicy())
        .isEqualTo(LedgerConfig.ExceptionPolicy.REJECT);
  }

  @Test
  void parametersWithoutAdminsOrWithASpacedNameAreInvalid() {
    LedgerParameters p = config(Map.of()).parameters();
    assertThat(
            Parameters.problem(
                LedgerParameters.newBuilder(p).setAdminPublicKeys(java.util.List.of()).build()))
        .hasValueSatisfying(s -> assertThat(s).contains("admin"));
    assertThat(Parameters.problem(LedgerParameters.newBuilder(p).setLedgerName("a b").build()))
        .isPresent();
    assertThat(
            Parameters.problem(LedgerParameters.newBuilder(p).setCheckpointIntervalMs(1).build()))
        .isPresent();
  }

  @Test
  void kafkaPrefixedSettingsReachEveryClientAndStreams() {
    LedgerConfig c =
        config(
            Map.of(
                LedgerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "k1:9093",
                "kafka.security.protocol",
                "SASL_SSL",
                "kafka.sasl.mechanism",
                "SCRAM-SHA-512",
                "kafka.ssl.truststore.location",
                "/etc/kafka/ca.p12"));
    assertThat(c.kafkaClientSettings())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
        .containsEntry("bootstrap.servers", "k1:9093")
        .doesNotContainKey("kafka.security.protocol");
    var streams = dev.trustledger.ledger.topology.LedgerTopology.streamsProperties(c);
    assertThat(streams).containsEntry("security.protocol", "SASL_SSL");
    assertThat(streams).containsEntry("processing.guarantee", "exactly_once_v2");
  }

  @Test
  void settingsTheLedgersGuaranteesRestOnCannotBeOverridden() {
    for (String key :
        new String[] {"acks", "processing.guarantee", "isolation.level", "bootstrap.servers"}) {
      assertThatThrownBy(() -> config(Map.of("kafka." + key, "x")))
          .as(key)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("kafka." + key);
    }
  }
}
