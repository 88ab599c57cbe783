package org.jrave.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Failed writes described for the user: the file they asked for and the reason (a missing folder,
 * permission denied, the system's own words such as "No space left on device"), without the name
 * of the temporary file the failure actually happened on.
 */
public final class WriteFailure extends IOException {
  private WriteFailure(Path target, String reason, Throwable cause) {
    super("cannot write " + target + ": " + reason, cause);
  }

  /** Fails before any work when the folder {@code target} goes into is missing or not a folder. */
  public static void requireFolder(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      String why = Files.exists(dir) ? " is not a folder" : " does not exist";
      throw new WriteFailure(target, "the folder " + dir + why, null);
    }
  }

  /** {@code e}, raised while writing {@code target} (or a temporary file for it), with its reason. */
  public static IOException of(Path target, IOException e) {
    if (e instanceof WriteFailure) {
      return e;
    }
    return new WriteFailure(target, reason(target, e), e);
  }

  private static String reason(Path target, IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied in " + target.toAbsolutePath().getParent();
    }
    if (e instanceof NoSuchFileException) {
      return "the folder " + target.toAbsolutePath().getParent() + " does not exist";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
