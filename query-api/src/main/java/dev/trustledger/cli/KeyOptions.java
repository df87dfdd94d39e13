package dev.trustledger.cli;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.CryptoException;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.KeyFiles;
import dev.trustledger.event.Signer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

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

  /**
   * A key file with what its labels say: its kind and the id it signs as (null when the file has no
   * labels, as files made by other tools).
   */
  record Loaded(Path file, Ed25519PrivateKey key, KeyKind kind, String id) {}

  static Loaded load(Path file, String role) {
    Ed25519PrivateKey key = read(file, role);
    Map<String, String> labels;
    try {
      labels = KeyFiles.readLabels(file);
    } catch (IOException e) {
      labels = Map.of();
    }
    KeyKind kind = KeyKind.parse(labels.getOrDefault(KeyKind.KIND_LABEL, "")).orElse(null);
    return new Loaded(file, key, kind, labels.get(KeyKind.ID_LABEL));
  }

  /**
   * The key of {@code file} for an {@code option} that needs a key of {@code expected}: a file
   * labeled with another kind is refused, naming the file and both kinds.
   */
  static Loaded require(Path file, KeyKind expected, String option) {
    Loaded loaded = load(file, expected.label());
    if (loaded.kind() != null && loaded.kind() != expected) {
      throw new CliException(
          ExitCodes.USAGE,
          file
              + " is "
              + article(loaded.kind())
              + " key; "
              + option
              + " needs "
              + article(expected)
              + " key");
    }
    return loaded;
  }

  /** The signer of a key file needed as {@code expected}: the id its label names, or its key's. */
  static Signer signer(Path file, KeyKind expected, String option) {
    Loaded loaded = require(file, expected, option);
    PrincipalKind kind = expected.principal().orElseThrow();
    return loaded.id() == null
        ? new Signer(kind, loaded.key())
        : Signer.rotated(kind, loaded.id(), loaded.key());
  }

  private static String article(KeyKind kind) {
    String l = kind.label();
    return ("aeiou".indexOf(l.charAt(0)) >= 0 ? "an " : "a ") + l;
  }

  /**
   * A public key as a person passes it: an SPKI PEM file, 64 hex digits, base64url of the raw key,
   * or a C2SP note verifier key ({@code <name>+<hex id>+<base64(0x01 || key)>}).
   */
  static dev.trustledger.crypto.Ed25519PublicKey publicKey(String given, String role) {
    Path path = Path.of(given);
    try {
      if (java.nio.file.Files.isRegularFile(path)) {
        String text = java.nio.file.Files.readString(path).trim();
        if (text.startsWith("-----BEGIN")) {
          return KeyFiles.readPublicKey(path);
        }
        given = text;
      }
      if (given.contains("+")) {
        return dev.trustledger.checkpoint.NoteKey.parse(given).publicKey();
      }
      if (given.matches("[0-9a-f]{64}")) {
        return dev.trustledger.crypto.Ed25519PublicKey.of(
            dev.trustledger.encoding.Hex.decode(given));
      }
      return dev.trustledger.crypto.Ed25519PublicKey.of(
          dev.trustledger.encoding.Base64Url.decode(given));
    } catch (IOException | CryptoException | IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE,
          role
              + " key '"
              + given
              + "' is not a public key file, hex, base64url or verifier key: "
              + e.getMessage());
    }
  }

  /** A witness's cosignature verifier key, given as the string or a file holding it. */
  static dev.trustledger.checkpoint.CosignerKey witnessKey(String given) {
    Path path = Path.of(given);
    try {
      String text =
          java.nio.file.Files.isRegularFile(path)
              ? java.nio.file.Files.readString(path).trim()
              : given;
      return dev.trustledger.checkpoint.CosignerKey.parse(text);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "witness key '"
              + given
              + "' is not a cosignature verifier key <name>+<hex id>+<base64>: "
              + e.getMessage());
    }
  }
}
