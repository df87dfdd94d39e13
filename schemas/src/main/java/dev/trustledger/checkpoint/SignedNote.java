package dev.trustledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note taken apart: its text (ending in a newline) and its signature lines, {@code —
 * <key name> <base64(key id || signature)>}. Parsing checks the form only; {@link NoteKey} and
 * {@link CosignerKey} verify the lines of their keys.
 *
 * @param text the note text, up to and including its final newline
 * @param signatures the signature lines, in order
 */
public record SignedNote(String text, List<Signature> signatures) {
  /** The em dash (U+2014) and space that start every signature line. */
  static final String PREFIX = "\u2014 ";

  /** At most this many signature lines are read (C2SP: at least 16 must be accepted). */
  public static final int MAX_SIGNATURES = 64;

  public SignedNote {
    signatures = List.copyOf(signatures);
  }

  /**
   * One signature line.
   *
   * @param name the key name
   * @param blob the key id (4 bytes) and the signature after it
   */
  public record Signature(String name, byte[] blob) {
    public Signature {
      blob = blob.clone();
    }

    public byte[] keyId() {
      return Arrays.copyOf(blob, 4);
    }

    /** The bytes after the key id. */
    public byte[] signature() {
      return Arrays.copyOfRange(blob, 4, blob.length);
    }

    /** The line, with its final newline. */
    public String line() {
      return PREFIX + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    boolean matches(String keyName, byte[] keyId) {
      return name.equals(keyName) && Arrays.equals(blob, 0, 4, keyId, 0, 4);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && name.equals(s.name) && Arrays.equals(blob, s.blob);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + Arrays.hashCode(blob);
    }
  }

  /**
   * Parses a signed note.
   *
   * @throws NoteException when it is not text, a blank line and one or more signature lines
   */
  public static SignedNote parse(String note) throws NoteException {
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new NoteException("signed note holds a control character at " + i);
      }
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteException("signed note has no blank line before its signatures");
    }
    String text = note.substring(0, split + 1);
    String lines = note.substring(split + 2);
    if (lines.isEmpty() || !lines.endsWith("\n")) {
      throw new NoteException("signed note must end with a signature line and a newline");
    }
    String[] each = lines.substring(0, lines.length() - 1).split("\n", -1);
    if (each.length > MAX_SIGNATURES) {
      throw new NoteException(
          "signed note has " + each.length + " signatures, more than " + MAX_SIGNATURES);
    }
    List<Signature> signatures = new ArrayList<>();
    for (String line : each) {
      signatures.add(parseLine(line));
    }
    return new SignedNote(text, signatures);
  }

  /**
   * Parses signature lines, each ending in a newline (a witness's answer to add-checkpoint).
   *
   * @throws NoteException when a line is not a signature line
   */
  public static List<Signature> parseLines(String lines) throws NoteException {
    if (lines.isEmpty() || !lines.endsWith("\n")) {
      throw new NoteException("signature lines must end with a newline");
    }
    List<Signature> out = new ArrayList<>();
    for (String line : lines.substring(0, lines.length() - 1).split("\n", -1)) {
      out.add(parseLine(line));
    }
    return out;
  }

  private static Signature parseLine(String line) throws NoteException {
    if (!line.startsWith(PREFIX)) {
      throw new NoteException("malformed signature line: '" + line + "'");
    }
    String[] parts = line.substring(PREFIX.length()).split(" ", -1);
    if (parts.length != 2 || parts[0].isEmpty()) {
      throw new NoteException("malformed signature line: '" + line + "'");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new NoteException("signature is not base64: '" + parts[1] + "'");
    }
    if (blob.length < 5) {
      throw new NoteException("signature of " + parts[0] + " is shorter than a key id");
    }
    return new Signature(parts[0], blob);
  }

  public byte[] textBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The note with {@code more} lines after its own, leaving out lines it already has. */
  public SignedNote with(List<Signature> more) {
    List<Signature> all = new ArrayList<>(signatures);
    for (Signature s : more) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    return new SignedNote(text, all);
  }

  /** The note as text. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    signatures.forEach(s -> out.append(s.line()));
    return out.toString();
  }
}
