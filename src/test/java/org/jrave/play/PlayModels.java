package org.jrave.play;

import java.nio.file.Path;
import java.util.List;
import org.jrave.engine.Engine;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.io.ModelFile;

/** Small random-weight models for the play tests, built in-process and saved as jrave model files. */
public final class PlayModels {
  private PlayModels() {}

  /** A causal v2_small (ratio 512) of the given capacity and channel count. */
  public static RaveModel causalSmall(int capacity, int channels) {
    Engine.initialize(2);
    Engine.manualSeed(7);
    return RaveFactory.build(Presets.builder(List.of("v2_small", "causal")).capacity(capacity).channels(channels).build());
  }

  public static Path saveCausalSmall(Path file, int capacity, int channels) throws Exception {
    try (RaveModel m = causalSmall(capacity, channels)) {
      ModelFile.save(m, file);
    }
    return file;
  }
}
