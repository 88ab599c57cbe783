package org.jrave.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jrave.engine.Tensor;
import org.jrave.interop.ckpt.LightningCheckpoint;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelLoader;

/**
 * Imports a reference training run (spec 10): the run's {@code config.gin} (in the checkpoint's
 * folder or a parent) and a Lightning {@code .ckpt} (the one given, or the most recently modified
 * under the folder). The state dict is mapped onto a jrave model by name; discriminator, loss and
 * streaming-cache entries are left out; the channel count is taken from the weights when
 * config.gin does not state it.
 */
public final class RunImporter {

  /** An imported model and where it came from. */
  public record Imported(RaveModel model, Path checkpoint, Path configGin, long globalStep) {}

  private RunImporter() {}

  /** @param ema use the EMA weights kept by the {@code EMA} callback (where present) */
  public static Imported importRun(Path runOrCheckpoint, boolean ema) throws IOException {
    if (!Files.exists(runOrCheckpoint)) {
      throw new IOException(runOrCheckpoint + " does not exist");
    }
    Path ckpt = Files.isDirectory(runOrCheckpoint) ? newestCheckpoint(runOrCheckpoint) : runOrCheckpoint;
    Path gin = findConfigGin(ckpt.toAbsolutePath().getParent());
    LightningCheckpoint checkpoint = LightningCheckpoint.read(ckpt);
    Map<String, Tensor> weights = new LinkedHashMap<>(checkpoint.stateDict());
    if (ema) {
      if (!(checkpoint.root().get("callbacks") instanceof Map<?, ?> callbacks)
          || !(callbacks.get("EMA") instanceof Map<?, ?> emaState)) {
        throw new IOException(ckpt + " has no EMA weights (the run was trained without --ema)");
      }
      weights.putAll(checkpoint.tensors(emaState));
    }
    weights.keySet().removeIf(k -> !isModelEntry(k));
    RaveModel model = ModelLoader.fromGinAndWeights(gin, ckpt, weights);
    return new Imported(model, ckpt, gin, checkpoint.globalStep());
  }

  /** The generator side of the state dict (spec 10.2); the rest only serves training. */
  static boolean isModelEntry(String key) {
    boolean model = key.startsWith("encoder.") || key.startsWith("decoder.") || key.startsWith("pqmf.")
        || List.of("latent_pca", "latent_mean", "fidelity").contains(key);
    boolean cache = key.endsWith(".pad") || key.endsWith(".cache");
    return model && !cache;
  }

  private static Path newestCheckpoint(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".ckpt") && Files.isRegularFile(p))
          .max(Comparator.comparing(RunImporter::modified))
          .orElseThrow(() -> new IOException("no .ckpt checkpoint in " + dir + " or its subfolders"));
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static Path findConfigGin(Path start) throws IOException {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("config.gin");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IOException("no config.gin next to the checkpoint or in its parent folders (" + start
        + "): the run's config.gin is needed to rebuild the model");
  }
}
