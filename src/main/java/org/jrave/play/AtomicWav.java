package org.jrave.play;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.io.WriteFailure;

/** Writes a WAV through a temporary sibling and an atomic rename: complete or absent, never partial. */
public final class AtomicWav {
  private AtomicWav() {}

  public static void write(Path target, AudioClip clip) throws IOException {
    Path abs = target.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw WriteFailure.of(abs, e);
    }
    WavFile.write(abs, clip); // itself atomic (AtomicFiles)
  }

  static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
