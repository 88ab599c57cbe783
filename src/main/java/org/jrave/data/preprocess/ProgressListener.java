package org.jrave.data.preprocess;

import java.nio.file.Path;

/** Told about each file as the writer finishes it, in input order. */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  default void started(int files) {}

  /** {@code seconds} of audio the file gave, or {@code skipReason} non-null when it was skipped. */
  default void fileDone(Path file, double seconds, String skipReason) {}

  default void finished() {}
}
