package dev.trustledger.ledger.runtime;

import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.ledger.config.LedgerConfig;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs only the ledger topology (no HTTP) from a properties file: {@code LedgerStreamsMain
 * ledger.properties}. Used by crash tests and headless deployments.
 */
public final class LedgerStreamsMain {
  private LedgerStreamsMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: LedgerStreamsMain <ledger.properties>");
      System.exit(2);
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
      props.load(in);
    }
    LedgerConfig config = new LedgerConfig(props);
    var ledgerKey =
        KeyFiles.readPrivateKey(Path.of(config.getString(LedgerConfig.LEDGER_KEY_FILE_CONFIG)));
    CountDownLatch stopped = new CountDownLatch(1);
    LedgerRuntime runtime = LedgerRuntime.start(config, ledgerKey, Map.of());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                }));
    System.out.println("ledger streams started");
    stopped.await();
  }
}
