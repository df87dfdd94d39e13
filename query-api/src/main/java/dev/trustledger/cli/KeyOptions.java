package dev.trustledger.cli;

import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading key files with messages a person can act on. */
final class KeyOptions {
  private KeyOptions() {}

  static Ed25519PrivateKey read(Path file, String role) {
    try {
      return KeyFiles.readPrivateKey(file);
    } catch (NoSuchFileException e) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          role + " key file " + file + " does not exist (create one with 'ledger keygen')");
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ENVIRONMENT,
          "cannot read " + role + " key file " + file + ": " + e.getMessage());
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.ENVIRONMENT, role + " key file: " + e.getMessage());
    }
  }
}
