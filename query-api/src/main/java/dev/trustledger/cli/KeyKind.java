package dev.trustledger.cli;

import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.id.PrincipalIds;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a key file is for, as its labels say ({@code Kind: agent}, {@code Id: agt_...}): files the
 * CLI writes carry them, and a file of one kind is refused where another is needed.
 */
enum KeyKind {
  ADMIN,
  SPONSOR,
  AGENT,
  LEDGER,
  WITNESS;

  static final String KIND_LABEL = "Kind";
  static final String ID_LABEL = "Id";

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The principal kind, for the kinds that sign events. */
  Optional<PrincipalKind> principal() {
    return this == WITNESS ? Optional.empty() : Optional.of(PrincipalKind.valueOf(name()));
  }

  static Optional<KeyKind> parse(String text) {
    try {
      return Optional.of(KeyKind.valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static KeyKind of(PrincipalKind kind) {
    return KeyKind.valueOf(kind.name());
  }

  /** The labels of a new key of this kind: its kind and, for a principal, its id. */
  Map<String, String> labels(Ed25519PrivateKey key) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(KIND_LABEL, label());
    principal().ifPresent(k -> labels.put(ID_LABEL, PrincipalIds.of(k, key.publicKey().raw())));
    return labels;
  }
}
