package org.jrave.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file through a temporary sibling and an atomic rename, so readers (and a crash) never
 * see a half-written file: the target either keeps its old content or gets the complete new one.
 * The file gets the permissions of any new file of the process (its umask), and a failure is
 * reported for the target with its reason, never under the temporary name.
 */
public final class AtomicFiles {

  /** Produces the content of a file; may throw, in which case nothing is left behind. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically. An {@link IOException} from the file system reads
   * "cannot write TARGET: REASON" (see {@link WriteFailure}).
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    WriteFailure.requireFolder(abs);
    // Same folder as the target: a rename within one file system is atomic.
    Path tmp = dir.resolve("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
    boolean moved = false;
    try {
      // FileChannel.open creates the file as open(2) does, with mode 0666 filtered by the umask
      // (Files.createTempFile would give 0600, which the final file would keep).
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        writer.writeTo(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } catch (IOException e) {
      throw WriteFailure.of(abs, e);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
