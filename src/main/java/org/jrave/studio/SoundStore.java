package org.jrave.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;

/**
 * The sounds of a studio session: uploaded clips and everything rendered from them, each a 32-bit
 * float WAV in the studio's own temporary folder with its spectrogram. Ids are made here; the oldest
 * sounds are forgotten (and their files deleted) beyond a fixed number.
 */
final class SoundStore implements AutoCloseable {

  /**
   * @param source the uploaded file as it came (decoded again at each model's rate), null for renders
   */
  record Sound(String id, String label, int sampleRate, int channels, double seconds, Path wav, byte[] spectrogram,
      Path source) {}

  private static final int KEPT = 64;

  private final Path folder;
  private final Map<String, Sound> sounds = new LinkedHashMap<>();
  private long next;

  SoundStore(Path folder) {
    this.folder = folder;
  }

  Path folder() {
    return folder;
  }

  /** A fresh file name in the store's folder for an upload before it becomes a sound. */
  synchronized Path newUploadFile() {
    return folder.resolve("upload-" + (++next) + ".bin");
  }

  synchronized Sound add(String label, AudioClip clip, byte[] spectrogram, Path source) throws IOException {
    String id = "s" + (++next);
    Path wav = folder.resolve(id + ".wav");
    WavFile.write(wav, clip);
    Sound s = new Sound(id, label, clip.sampleRate(), clip.channelCount(), clip.durationSeconds(), wav, spectrogram,
        source);
    sounds.put(id, s);
    while (sounds.size() > KEPT) {
      Sound oldest = sounds.values().iterator().next();
      sounds.remove(oldest.id());
      delete(oldest);
    }
    return s;
  }

  synchronized Optional<Sound> find(String id) {
    return Optional.ofNullable(sounds.get(id));
  }

  private static void delete(Sound s) {
    try {
      Files.deleteIfExists(s.wav());
      if (s.source() != null) {
        Files.deleteIfExists(s.source());
      }
    } catch (IOException e) {
      // The whole folder goes at close anyway.
    }
  }

  @Override
  public synchronized void close() {
    sounds.values().forEach(SoundStore::delete);
    sounds.clear();
    try (var files = Files.list(folder)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      // Left in the system's temporary folder.
    }
  }
}
