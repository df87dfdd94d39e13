package dev.trustledger.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.avro.Severity;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.event.Events;
import dev.trustledger.event.Signer;
import dev.trustledger.ledger.config.LedgerConfig;
import dev.trustledger.ledger.testkit.LedgerDriver;
import dev.trustledger.ledger.testkit.LedgerSetup;
import dev.trustledger.node.LedgerNode;
import dev.trustledger.testkit.KafkaCluster;
import dev.trustledger.testutil.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The explorer in a real headless Chromium against a running node (real broker, read token set):
 * the overview, an agent page with its name, trust chart and chain timeline, and a sponsor page
 * with its agents as a tree. Screenshots go to target/explorer/. Needs Debian's chromium and
 * chromium-driver (.ci/run installs them); CI sets TRUSTLEDGER_CI so that a missing browser fails
 * the build instead of skipping the test.
 */
class ExplorerIT {
  private static final String TOKEN = "explorer-it-token";
  private static final Ed25519PrivateKey ADMIN = LedgerDriver.ADMIN;
  private static final Ed25519PrivateKey ACME = Fixtures.key("explorer-acme");
  private static final Ed25519PrivateKey BOT = Fixtures.key("explorer-bot");
  private static final Ed25519PrivateKey HELPER = Fixtures.key("explorer-helper");
  private static final Ed25519PrivateKey PEER = Fixtures.key("explorer-peer");
  private static KafkaCluster cluster;
  private static LedgerNode node;

  @BeforeAll
  static void start() throws Exception {
    boolean required = System.getenv("TRUSTLEDGER_CI") != null;
    if (!required) {
      Assumptions.assumeTrue(
          WebDriver.available(),
          "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
    }
    cluster = KafkaCluster.start(1);
    Map<String, Object> values =
        LedgerSetup.config(
            cluster.bootstrapServers(), Files.createTempDirectory("explorer-it"), "explorer-it");
    values.put(LedgerConfig.HTTP_PORT_CONFIG, 0);
    values.put(LedgerConfig.HTTP_READ_TOKEN_CONFIG, TOKEN);
    node = LedgerNode.start(new LedgerConfig(values), LedgerDriver.LEDGER_KEY);
    assertThat(node.awaitReady(Duration.ofSeconds(60))).isTrue();
    long now = System.currentTimeMillis();
    String acme = Signer.sponsor(ACME).id();
    publish(
        Events.registerSponsor(ACME.publicKey(), "Acme Corp", "ops@acme.example")
            .issuedAt(now)
            .sign(Signer.admin(ADMIN), ACME));
    publish(
        Events.registerAgent(BOT.publicKey(), acme)
            .name("invoice-bot")
            .capabilities(List.of("invoices:read"))
            .draft()
            .issuedAt(now)
            .sign(Signer.sponsor(ACME), BOT),
        Events.registerAgent(PEER.publicKey(), acme)
            .name("peer-bot")
            .draft()
            .issuedAt(now)
            .sign(Signer.sponsor(ACME), PEER));
    publish(
        Events.registerAgent(HELPER.publicKey(), acme)
            .name("helper-bot")
            .parent(Signer.agent(BOT).id())
            .draft()
            .issuedAt(now)
            .sign(Signer.agent(BOT), HELPER));
    for (int i = 0; i < 3; i++) {
      publish(
          Events.report(Signer.agent(BOT).id(), "call-" + i, 90 - 30 * i, Severity.LOW, "quality")
              .issuedAt(now)
              .sign(Signer.admin(ADMIN)));
    }
  }

  private static void publish(SignedEvent... events) throws Exception {
    for (SignedEvent e : events) {
      node.publish(e);
    }
    SignedEvent last = events[events.length - 1];
    String path = "/v1/events/" + last.getSubjectId() + "/" + last.getEventId();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url() + path))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"accepted\""));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void saveScreenshot(WebDriver browser, String name) throws Exception {
    Path dir = Path.of("target", "explorer");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), browser.screenshot());
  }

  /** Waits until {@code condition} (a script returning a boolean) holds in the page. */
  private static void until(WebDriver browser, String condition) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> browser.script("return !!(" + condition + ");").asBoolean());
  }

  @Test
  void overviewAgentAndSponsorPagesRenderInABrowser() throws Exception {
    try (WebDriver browser = new WebDriver()) {
      browser.open(node.url() + "/");
      // With the read token set, the page asks for it; given, it stays for the session.
      until(browser, "document.body.innerText.includes('read token')");
      browser.script(
          "const t = document.getElementById('token'); t.value = '"
              + TOKEN
              + "'; t.dispatchEvent(new Event('change'));");
      until(browser, "document.querySelector('#latest tbody tr')");
      JsonNode overview =
          browser.script(
              "return {rows: document.querySelectorAll('#latest tbody tr').length,"
                  + " text: document.body.innerText};");
      assertThat(overview.get("rows").asInt()).isGreaterThanOrEqualTo(7);
      assertThat(overview.get("text").asText()).contains("Agents").contains("Acme Corp");
      saveScreenshot(browser, "overview.png");

      // Look an agent up as a person would: type its id, press the button.
      String bot = Signer.agent(BOT).id();
      browser.script(
          "document.getElementById('q').value = '"
              + bot
              + "'; document.querySelector('#search button').click();");
      until(
          browser, "document.getElementById('trust-chart') && document.getElementById('timeline')");
      JsonNode agent =
          browser.script(
              "return {title: document.getElementById('title').innerText,"
                  + " points: +document.getElementById('trust-chart').dataset.points,"
                  + " dots: document.querySelectorAll('#trust-chart circle').length,"
                  + " items: document.querySelectorAll('#timeline li').length,"
                  + " timeline: document.getElementById('timeline').innerText,"
                  + " text: document.body.innerText};");
      assertThat(agent.get("title").asText()).contains("invoice-bot").contains("active");
      assertThat(agent.get("points").asInt()).isGreaterThan(4);
      assertThat(agent.get("dots").asInt()).isEqualTo(4);
      assertThat(agent.get("items").asInt()).isEqualTo(4);
      assertThat(agent.get("timeline").asText())
          .contains("Behaviour Reported")
          .contains("Agent Registered")
          .contains("Acme Corp");
      assertThat(agent.get("text").asText()).contains(bot).contains("invoices:read");
      saveScreenshot(browser, "agent.png");

      browser.open(node.url() + "/#/sponsor/" + Signer.sponsor(ACME).id());
      until(browser, "document.querySelector('#agents ul.tree ul.tree li')");
      JsonNode sponsor =
          browser.script(
              "return {title: document.getElementById('title').innerText,"
                  + " nested: document.querySelector('#agents ul.tree ul.tree li').innerText};");
      assertThat(sponsor.get("title").asText()).contains("Acme Corp");
      assertThat(sponsor.get("nested").asText()).contains("helper-bot");
      saveScreenshot(browser, "sponsor.png");
    }
  }
}
