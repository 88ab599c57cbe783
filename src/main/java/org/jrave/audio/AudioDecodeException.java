package org.jrave.audio;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be decoded (or only partly); the message says why in words a user understands. */
public class AudioDecodeException extends IOException {
  private final Path path;
  private final String reason;

  public AudioDecodeException(Path path, String reason) {
    super(path + ": " + reason);
    this.path = path;
    this.reason = reason;
  }

  public Path path() {
    return path;
  }

  /** The reason alone, without the path. */
  public String reason() {
    return reason;
  }
}
