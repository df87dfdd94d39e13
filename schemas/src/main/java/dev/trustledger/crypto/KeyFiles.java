package dev.trustledger.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Ed25519 keys in the standard PEM files that {@code openssl pkey} reads and writes: PKCS#8 ({@code
 * PRIVATE KEY}, RFC 8410) for private keys and SubjectPublicKeyInfo ({@code PUBLIC KEY}) for public
 * keys. Private key files are created readable by their owner only (mode 0600), in directories
 * created for their owner only (0700); a private key file that its group or others may read is
 * refused, as ssh refuses one.
 */
public final class KeyFiles {
  /** DER of PKCS#8 v1 for Ed25519 up to the 32-byte seed (RFC 8410 section 7). */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  /** DER of SubjectPublicKeyInfo for Ed25519 up to the 32-byte key (RFC 8410 section 4). */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";

  private KeyFiles() {}

  /** PEM text of a private key (PKCS#8). */
  public static String privateKeyPem(Ed25519PrivateKey key) {
    return pem(PRIVATE_LABEL, concat(PKCS8_PREFIX, key.seed()));
  }

  /** PEM text of a public key (SubjectPublicKeyInfo). */
  public static String publicKeyPem(Ed25519PublicKey key) {
    return pem(PUBLIC_LABEL, concat(SPKI_PREFIX, key.raw()));
  }

  /** Parses a PKCS#8 PEM Ed25519 private key. */
  public static Ed25519PrivateKey parsePrivateKey(String pem) {
    byte[] der = unpem(PRIVATE_LABEL, pem);
    return Ed25519PrivateKey.fromSeed(stripPrefix(der, PKCS8_PREFIX, "PKCS#8 Ed25519 private key"));
  }

  /** Parses a SubjectPublicKeyInfo PEM Ed25519 public key. */
  public static Ed25519PublicKey parsePublicKey(String pem) {
    byte[] der = unpem(PUBLIC_LABEL, pem);
    return Ed25519PublicKey.of(stripPrefix(der, SPKI_PREFIX, "SubjectPublicKeyInfo Ed25519 key"));
  }

  /**
   * Writes a new private key file with mode 0600 (on POSIX file systems). Refuses to overwrite an
   * existing file.
   */
  public static void writePrivateKey(Path file, Ed25519PrivateKey key) throws IOException {
    writePrivateKey(file, key, Map.of());
  }

  /**
   * Writes a new private key file with {@code labels} as explanatory text before the PEM block (RFC
   * 7468 section 5.2: {@code Name: value} lines, which PEM readers such as {@code openssl pkey}
   * skip), mode 0600. Refuses to overwrite an existing file.
   */
  public static void writePrivateKey(Path file, Ed25519PrivateKey key, Map<String, String> labels)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    createOwnerOnlyDirectories(parent);
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a key");
    }
    if (parent != null && Files.getFileStore(parent).supportsFileAttributeView("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(
        file,
        labelText(labels) + privateKeyPem(key),
        StandardCharsets.US_ASCII,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * Replaces the labels of an existing private key file, keeping its key and its mode (which must
   * already be owner-only).
   */
  public static void relabel(Path file, Map<String, String> labels) throws IOException {
    Ed25519PrivateKey key = readPrivateKey(file);
    Files.writeString(
        file,
        labelText(labels) + privateKeyPem(key),
        StandardCharsets.US_ASCII,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * The {@code Name: value} lines before a PEM block, in file order (empty when there are none).
   */
  public static Map<String, String> readLabels(Path file) throws IOException {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (line.startsWith("-----BEGIN")) {
        break;
      }
      int colon = line.indexOf(": ");
      if (colon > 0 && line.substring(0, colon).matches("[A-Za-z][A-Za-z0-9-]*")) {
        labels.put(line.substring(0, colon), line.substring(colon + 2).trim());
      }
    }
    return labels;
  }

  private static String labelText(Map<String, String> labels) {
    StringBuilder out = new StringBuilder();
    labels.forEach(
        (name, value) -> {
          if (!name.matches("[A-Za-z][A-Za-z0-9-]*") || value.contains("\n")) {
            throw new IllegalArgumentException("a key file label must be 'Name: value' on a line");
          }
          out.append(name).append(": ").append(value).append('\n');
        });
    return out.toString();
  }

  /** Writes a public key file (world-readable is fine for public keys). */
  public static void writePublicKey(Path file, Ed25519PublicKey key) throws IOException {
    createOwnerOnlyDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, publicKeyPem(key), StandardCharsets.US_ASCII);
  }

  /**
   * Reads a private key file. On POSIX file systems a file that its group or others may read, write
   * or run is refused with {@link KeyFilePermissionException}.
   */
  public static Ed25519PrivateKey readPrivateKey(Path file) throws IOException {
    requireOwnerOnly(file);
    try {
      return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (CryptoException e) {
      throw new CryptoException(file + ": " + e.getMessage(), e);
    }
  }

  public static Ed25519PublicKey readPublicKey(Path file) throws IOException {
    try {
      return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (CryptoException e) {
      throw new CryptoException(file + ": " + e.getMessage(), e);
    }
  }

  /** A private key file's group or others have access to it. */
  public static final class KeyFilePermissionException extends IOException {
    KeyFilePermissionException(String message) {
      super(message);
    }
  }

  private static void requireOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: its ACLs are the operator's to set
    }
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : mode) {
      if (!p.name().startsWith("OWNER_")) {
        open.add(p);
      }
    }
    if (!open.isEmpty()) {
      throw new KeyFilePermissionException(
          "private key file "
              + file
              + " has mode "
              + PosixFilePermissions.toString(mode)
              + ": it must not be accessible by group or others; run 'chmod 600 "
              + file
              + "'");
    }
  }

  /** Creates the missing directories of {@code dir} with mode 0700 (on POSIX file systems). */
  private static void createOwnerOnlyDirectories(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    createOwnerOnlyDirectories(dir.getParent());
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      // created meanwhile
    }
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] unpem(String label, String pem) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new CryptoException("not a PEM " + label + " (want a '" + begin + "' block)");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new CryptoException("PEM " + label + " body is not base64", e);
    }
  }

  private static byte[] stripPrefix(byte[] der, byte[] prefix, String what) {
    int want = prefix.length + 32;
    if (der.length != want || !Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length)) {
      throw new CryptoException(
          what + ": unexpected DER structure (got " + der.length + " bytes, want " + want + ")");
    }
    return Arrays.copyOfRange(der, prefix.length, der.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
