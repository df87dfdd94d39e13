package dev.trustledger.api;

import java.util.Optional;

/** Public keys of signers (admins from configuration, registered principals from the log). */
public interface KeyDirectory {
  Optional<byte[]> key(String principalId);
}
