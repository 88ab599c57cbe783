package org.jrave.play;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.io.WriteFailure;

/** Writes a WAV (creating its folder) atomically: complete or absent, never partial. */
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
}
