package org.jrave.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.config.Presets;

/** Small configurations and real audio for training tests. */
final class TinyModels {
  private TinyModels() {}

  /** v2 at capacity 4 with an 8-dimensional latent: ~60k parameters, 2048x compression. */
  static RaveConfig v2(int phase1) {
    return Presets.builder(List.of("v2")).override("capacity", "4").override("latent_size", "8")
        .override("phase_1_duration", Integer.toString(phase1)).override("update_discriminator_every", "2").build();
  }

  /** The bundled CC0 tabla loop (mono, 44.1 kHz). */
  static float[] tabla(Path tmp) throws IOException {
    Path wav = tmp.resolve("tabla.wav");
    try (InputStream in = TinyModels.class.getResourceAsStream("/org/jrave/demo/tabla.wav")) {
      Files.copy(in, wav);
    }
    AudioClip clip = WavFile.read(wav);
    return clip.channel(0);
  }
}
