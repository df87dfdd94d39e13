package dev.trustledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustledger.ledger.config.LedgerConfig;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The distribution's config/ledger.properties documents every key the node knows. */
class DistributionConfigTest {
  private static final Path FILE = Path.of("src/dist/config/ledger.properties");

  @Test
  void theShippedConfigurationIsTheGeneratedTemplate() throws Exception {
    assertThat(Files.readString(FILE))
        .as(
            "regenerate it: ./ledger node --config-template >"
                + " query-api/src/dist/config/ledger.properties")
        .isEqualTo(LedgerConfig.propertiesTemplate());
  }

  @Test
  void everyKeyIsInTheTemplateAndTheSetOnesParse() throws Exception {
    String template = LedgerConfig.propertiesTemplate();
    for (String key : LedgerConfig.DEFINITION.names()) {
      assertThat(template).containsPattern("(?m)^#?" + java.util.regex.Pattern.quote(key) + "=");
    }
    Properties set = new Properties();
    set.load(new StringReader(template));
    assertThat(set).containsKeys("bootstrap.servers", "ledger.key.file", "application.id");
    // A ledger parameter set here would have to match the log: they are left to the operator.
    assertThat(set.keySet()).doesNotContainAnyElementsOf(LedgerConfig.PARAMETER_KEYS);
    new LedgerConfig(set);
  }
}
