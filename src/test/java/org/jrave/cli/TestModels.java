package org.jrave.cli;

import java.nio.file.Path;
import java.util.List;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.io.ModelFile;

/** Small untrained models saved as jrave model files, for command-line tests. */
final class TestModels {
  private TestModels() {}

  /** A capacity-4 model of {@code presets} (then modifiers), saved to {@code file}. */
  static Path saveSmall(Path file, String... presets) throws Exception {
    try (RaveModel m = RaveFactory.build(Presets.builder(List.of(presets)).capacity(4).build())) {
      ModelFile.save(m, file);
    }
    return file;
  }
}
