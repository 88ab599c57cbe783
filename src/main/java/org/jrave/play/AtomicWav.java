package org.jrave.play;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;

/** Writes a WAV through a temporary sibling and an atomic rename: complete or absent, never partial. */
public final class AtomicWav {
  private AtomicWav() {}

  public static void write(Path target, AudioClip clip) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp.wav");
    try {
      WavFile.write(tmp, clip);
      move(tmp, abs);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
