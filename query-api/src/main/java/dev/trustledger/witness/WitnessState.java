package dev.trustledger.witness;

import dev.trustledger.checkpoint.CheckpointBody;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Sha256;
import dev.trustledger.encoding.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A witness's memory: per log origin, the latest checkpoint it cosigned (the note with its own
 * cosignature), one file each, {@code <hex SHA-256 of the origin>.checkpoint}. A new one is written
 * to a temporary file, forced to disk and renamed over the old, so a crash leaves one or the other
 * whole; callers hold {@link #lock} across check and store, so two requests cannot roll it back.
 */
public final class WitnessState {
  private final Path dir;
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  public WitnessState(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the witness state directory " + dir, e);
    }
  }

  static String originHash(String origin) {
    return Hex.encode(Sha256.hash(origin.getBytes(StandardCharsets.UTF_8)));
  }

  Object lock(String origin) {
    return locks.computeIfAbsent(origin, o -> new Object());
  }

  private Path file(String origin) {
    return dir.resolve(originHash(origin) + ".checkpoint");
  }

  /** The note of the latest cosigned checkpoint of {@code origin}. */
  Optional<String> latestNote(String origin) {
    Path f = file(origin);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  /** The latest cosigned checkpoint of {@code origin}. */
  Optional<CheckpointBody> latest(String origin) {
    Optional<String> note = latestNote(origin);
    if (note.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CheckpointBody.parse(SignedNote.parse(note.get()).text()));
    } catch (NoteException e) {
      throw new IllegalStateException("the witness state " + file(origin) + " is damaged", e);
    }
  }

  void store(String origin, SignedNote note) {
    Path f = file(origin);
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(note.format().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + f, e);
    }
  }
}
