package dev.trustledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trustledger.testutil.Fixtures;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path dir;

  private final Ed25519PrivateKey key = Fixtures.key("sponsor-1");

  @Test
  void privateKeyRoundTripsThroughPkcs8Pem() {
    String pem = KeyFiles.privateKeyPem(key);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(KeyFiles.parsePrivateKey(pem).publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void publicKeyRoundTripsThroughSpkiPem() {
    String pem = KeyFiles.publicKeyPem(key.publicKey());
    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(KeyFiles.parsePublicKey(pem)).isEqualTo(key.publicKey());
  }

  @Test
  void rfc8410ExamplePrivateKeyIsRead() {
    // RFC 8410 section 10.3.
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
            + "-----END PRIVATE KEY-----\n";
    String pub =
        "-----BEGIN PUBLIC KEY-----\n"
            + "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
            + "-----END PUBLIC KEY-----\n";
    assertThat(KeyFiles.parsePrivateKey(pem).publicKey()).isEqualTo(KeyFiles.parsePublicKey(pub));
  }

  @Test
  void privateKeyFileIsCreatedOwnerOnly() throws Exception {
    Path file = dir.resolve("keys/sponsor.key");
    KeyFiles.writePrivateKey(file, key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void keyDirectoriesAreCreatedOwnerOnly() throws Exception {
    KeyFiles.writePrivateKey(dir.resolve("a/b/sponsor.key"), key);
    KeyFiles.writePublicKey(dir.resolve("c/sponsor.pub"), key.publicKey());
    for (String d : new String[] {"a", "a/b", "c"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(d))))
          .as(d)
          .isEqualTo("rwx------");
    }
  }

  @Test
  void aKeyFileOthersMayReadIsRefusedWithTheFix() throws Exception {
    Path file = dir.resolve("sponsor.key");
    KeyFiles.writePrivateKey(file, key);
    for (String mode :
        new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw-rw----", "rw-----w-"}) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
          .as(mode)
          .isInstanceOf(KeyFiles.KeyFilePermissionException.class)
          .hasMessageContaining(mode)
          .hasMessageContaining("chmod 600 " + file);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void existingKeyFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("sponsor.key");
    KeyFiles.writePrivateKey(file, key);
    assertThatThrownBy(() -> KeyFiles.writePrivateKey(file, Fixtures.key("other")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void publicKeyPemIsNotAcceptedAsPrivateKey() {
    assertThatThrownBy(() -> KeyFiles.parsePrivateKey(KeyFiles.publicKeyPem(key.publicKey())))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("PRIVATE KEY");
  }

  @Test
  void otherAlgorithmDerIsRefused() {
    // An X25519 SPKI (OID 1.3.101.110) has the same length but is not an Ed25519 key.
    String x25519 =
        "-----BEGIN PUBLIC KEY-----\n"
            + "MCowBQYDK2VuAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
            + "-----END PUBLIC KEY-----\n";
    assertThatThrownBy(() -> KeyFiles.parsePublicKey(x25519))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("unexpected DER");
  }

  @Test
  void opensslReadsOurFilesAndWeReadOpenssls() throws Exception {
    assumeTrue(new File("/usr/bin/openssl").canExecute(), "openssl not installed");
    Path ours = dir.resolve("ours.key");
    KeyFiles.writePrivateKey(ours, key);
    String pub = run("openssl", "pkey", "-in", ours.toString(), "-pubout");
    assertThat(KeyFiles.parsePublicKey(pub)).isEqualTo(key.publicKey());

    Path theirs = dir.resolve("theirs.key");
    run("openssl", "genpkey", "-algorithm", "ed25519", "-out", theirs.toString());
    String theirPub = run("openssl", "pkey", "-in", theirs.toString(), "-pubout");
    assertThat(KeyFiles.readPrivateKey(theirs).publicKey())
        .isEqualTo(KeyFiles.parsePublicKey(theirPub));
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
