package dev.trustledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's walkthrough, as printed: the commands between its walkthrough markers run in bash
 * ({@code set -euo pipefail}) against {@code ledger dev --demo} on other ports than the defaults,
 * from a folder holding the {@code .ledger} data directory and a {@code ./ledger} that runs this
 * build's CLI. Every command must succeed.
 */
class ReadmeIT {
  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The shell lines of the README between the walkthrough markers, continuations joined. */
  static List<String> walkthrough(Path readme) throws Exception {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    int from = lines.indexOf("<!-- walkthrough:start -->");
    int to = lines.indexOf("<!-- walkthrough:end -->");
    assertThat(from).as("the README's walkthrough markers").isPositive().isLessThan(to);
    List<String> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : lines.subList(from + 1, to)) {
      if (!line.startsWith("    ")) {
        continue;
      }
      String code = line.substring(4);
      if (pending.length() == 0 && code.trim().startsWith("#")) {
        continue;
      }
      if (code.endsWith("\\")) {
        pending.append(code, 0, code.length() - 1).append(' ');
        continue;
      }
      out.add(pending.append(code).toString());
      pending.setLength(0);
    }
    return out;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theWalkthroughRunsAsPrintedOnOtherPorts() throws Exception {
    if (System.getenv("TRUSTLEDGER_CI") == null) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          onPath("jq") && onPath("curl"),
          "the walkthrough uses jq and curl (.ci/run installs them)");
    }
    Path work = Files.createTempDirectory("readme-walkthrough");
    Path launcher = work.resolve("ledger");
    Files.writeString(
        launcher,
        "#!/usr/bin/env bash\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -Xmx512m -Dlogback.configurationFile=logback.xml -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + LedgerCli.class.getName()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    int http = freePort();
    int kafka;
    do {
      kafka = freePort();
    } while (kafka == 65535);
    List<String> devOutput = new ArrayList<>();
    Process dev =
        new ProcessBuilder(
                launcher.toString(),
                "dev",
                "--demo",
                "--port",
                Integer.toString(http),
                "--kafka-port",
                Integer.toString(kafka),
                "--witness-port",
                Integer.toString(freePort()))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (devOutput) {
                    devOutput.add(line);
                  }
                  if (line.startsWith("Ctrl-C stops everything")) {
                    started.complete(null);
                  }
                }
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
              started.completeExceptionally(new IllegalStateException("ledger dev exited"));
            });
    reader.setDaemon(true);
    reader.start();
    try {
      started.get(180, TimeUnit.SECONDS);
      List<String> commands = walkthrough(Path.of("..", "README.md"));
      assertThat(commands).hasSizeGreaterThan(20);
      String script = "set -euo pipefail\n" + String.join("\n", commands) + "\n";
      Files.writeString(work.resolve("walkthrough.sh"), script);
      Process bash =
          new ProcessBuilder("bash", "walkthrough.sh")
              .directory(work.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bash.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(bash.exitValue()).as("the walkthrough's output:\n" + out).isZero();
      assertThat(out)
          .contains("accepted: seq")
          .contains("the old key is refused")
          .contains("capability_missing")
          .contains("suspended through")
          .contains("OK: the log verifies")
          .contains("may act");
    } finally {
      dev.destroy();
      dev.waitFor(60, TimeUnit.SECONDS);
    }
  }
}
