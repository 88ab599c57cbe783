package org.jrave.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jrave.engine.LoadReport;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;

/**
 * Models from the folders {@code jrave train} writes: the run folder itself (its best model,
 * {@code model.safetensors}) or one of its training checkpoints ({@code checkpoints/*.ckpt},
 * safetensors holding the model under {@code model.} and the weight averages under {@code ema.}).
 */
public final class JraveRun {
  /** The {@code format} metadata of a training checkpoint. */
  public static final String CHECKPOINT_FORMAT = "jrave-checkpoint";
  static final String SETTINGS = "run.json";
  static final String CONFIG = "config.json";
  static final String BEST_MODEL = "model.safetensors";
  static final String CHECKPOINTS = "checkpoints";

  private JraveRun() {}

  /** Whether {@code dir} is a run folder made by {@code jrave train}. */
  public static boolean isRunFolder(Path dir) {
    return Files.isRegularFile(dir.resolve(SETTINGS)) && Files.isRegularFile(dir.resolve(CONFIG));
  }

  /** The run's best model; {@code ema} is refused: the best model already holds the run's averages. */
  static RaveModel loadRunFolder(Path dir, boolean ema) throws IOException {
    if (ema) {
      throw new IOException("--ema picks the averaged weights of a checkpoint (" + dir.resolve(CHECKPOINTS)
          + "/*.ckpt); the run's best model " + dir.resolve(BEST_MODEL) + " already holds them when the run "
          + "trained with --ema: drop --ema");
    }
    Path best = dir.resolve(BEST_MODEL);
    if (!Files.isRegularFile(best)) {
      throw new IOException("the run " + dir + " has no best model yet (" + BEST_MODEL + " is written at the "
          + "first validation): pass one of its checkpoints, e.g. --model " + dir.resolve(CHECKPOINTS).resolve("last.ckpt"));
    }
    return ModelFile.load(best);
  }

  /** Whether {@code file} starts like a zip archive, as PyTorch Lightning's {@code torch.save} files do. */
  static boolean isZipArchive(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    }
  }

  /**
   * The model of a jrave training checkpoint ({@code ema}: with its weight averages), rebuilt
   * from the configuration of the run folder that holds it; empty when {@code file} is not one.
   */
  static Optional<RaveModel> loadCheckpoint(Path file, boolean ema) throws IOException {
    Safetensors.Contents contents;
    try {
      contents = Safetensors.read(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!CHECKPOINT_FORMAT.equals(contents.metadata().get("format"))) {
      return Optional.empty();
    }
    Path run = runFolderOf(file);
    RaveConfig config = ConfigJson.read(Files.readString(run.resolve(CONFIG)));
    Map<String, Tensor> averages = contents.section("ema.");
    if (ema && averages.isEmpty()) {
      throw new IOException(file + " has no EMA weights (its run trained without --ema): drop --ema");
    }
    RaveModel model = RaveFactory.build(config);
    try {
      model.loadStateDict(contents.section("model.")).requireComplete(file.toString());
      if (ema) {
        // The averages cover the parameters only; buffers (PCA, filters) stay the checkpoint's.
        LoadReport report = model.loadStateDict(averages);
        if (!report.mismatched().isEmpty() || !report.unexpected().isEmpty()) {
          throw new IOException("the EMA weights in " + file + " do not fit its run's model: " + report.describe());
        }
      }
    } catch (IOException e) {
      model.close();
      throw e;
    } catch (RuntimeException e) {
      model.close();
      throw new IOException(e.getMessage(), e);
    }
    return Optional.of(model);
  }

  private static Path runFolderOf(Path checkpoint) throws IOException {
    for (Path dir = checkpoint.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      if (isRunFolder(dir)) {
        return dir;
      }
    }
    throw new IOException(checkpoint + " is a jrave training checkpoint outside its run folder: keep it in "
        + "RUN/" + CHECKPOINTS + "/ next to the run's " + CONFIG + " and " + SETTINGS);
  }
}
