package org.jrave.model.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.GinModelConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.config.gin.GinConfig;

/**
 * Opens whatever a user passes as {@code --model}: a jrave model file, a run folder of {@code jrave
 * train} or one of its checkpoints ({@link JraveRun}), or a reference-style folder holding {@code
 * config.gin} (here or in a parent folder) and a {@code .safetensors} state dict. Every failure is an
 * {@link IOException} whose message names the path and what to do.
 */
public final class ModelLoader {
  private ModelLoader() {}

  public static RaveModel load(Path path) throws IOException {
    return load(path, false);
  }

  /**
   * As {@link #load(Path)}; {@code ema} takes the weight averages of a jrave training checkpoint
   * (and is refused for anything else).
   */
  public static RaveModel load(Path path, boolean ema) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException("model " + path + " does not exist");
    }
    if (Files.isDirectory(path) && JraveRun.isRunFolder(path)) {
      return JraveRun.loadRunFolder(path, ema);
    }
    String lower = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".ckpt") && Files.isRegularFile(path)) {
      return loadCheckpoint(path, ema);
    }
    if (ema) {
      throw new IOException("--ema picks the averaged weights of a jrave training checkpoint "
          + "(RUN/checkpoints/*.ckpt), and " + path + " is not one; for a reference run: jrave import RUN --ema "
          + "--output MODEL.jrave");
    }
    if (Files.isDirectory(path)) {
      return loadRunFolder(path);
    }
    String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.equals("config.gin")) {
      return loadRunFolder(path.toAbsolutePath().getParent());
    }
    if (name.endsWith(".ts")) {
      throw new IOException(path + " is an nn~ TorchScript export: encode, decode, forward, generate and live run "
          + "it, but this command needs a jrave model");
    }
    Safetensors.Contents contents = readSafetensors(path);
    if (ModelFile.isModelFile(contents.metadata())) {
      return ModelFile.load(path);
    }
    return fromGinAndWeights(findConfigGin(path.toAbsolutePath().getParent()), path, contents.tensors());
  }

  private static RaveModel loadCheckpoint(Path path, boolean ema) throws IOException {
    var jrave = JraveRun.loadCheckpoint(path, ema);
    if (jrave.isPresent()) {
      return jrave.get();
    }
    if (JraveRun.isZipArchive(path)) {
      throw new IOException(path + " is a Lightning checkpoint of the reference: convert its run folder with "
          + "'jrave import " + runFolderOf(path) + " --output MODEL.jrave' first");
    }
    throw new IOException(path + " is neither a jrave training checkpoint nor a Lightning checkpoint");
  }

  private static Path runFolderOf(Path checkpoint) {
    Path parent = checkpoint.toAbsolutePath().getParent();
    return parent == null ? checkpoint : parent;
  }

  private static RaveModel loadRunFolder(Path dir) throws IOException {
    Path gin;
    try {
      gin = findConfigGin(dir);
    } catch (IOException e) {
      throw new IOException(dir + " is neither a jrave run folder (run.json and config.json from 'jrave train') "
          + "nor a reference run (no config.gin in it or its parent folders)", e);
    }
    List<Path> weights;
    try (Stream<Path> files = Files.list(dir)) {
      weights = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    }
    if (weights.isEmpty()) {
      throw new IOException("the folder " + dir + " has no .safetensors weights (a Lightning .ckpt must be "
          + "converted first: jrave import " + dir + " --output MODEL.jrave)");
    }
    if (weights.size() > 1) {
      throw new IOException("the folder " + dir + " has several .safetensors files " + weights
          + ": pass the one to use as --model");
    }
    return fromGinAndWeights(gin, weights.get(0), readSafetensors(weights.get(0)).tensors());
  }

  private static Safetensors.Contents readSafetensors(Path file) throws IOException {
    try {
      return Safetensors.read(file);
    } catch (IOException e) {
      throw new IOException("cannot read model " + file + ": " + e.getMessage()
          + " (expected a jrave model file or reference weights in safetensors format)", e);
    }
  }

  private static Path findConfigGin(Path start) throws IOException {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("config.gin");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IOException("no config.gin in " + start + " or its parent folders: a reference model needs the "
        + "config.gin of its training run");
  }

  /**
   * The model {@code ginFile} describes, with {@code weights} (reference state-dict names; streaming
   * caches and unrelated entries such as the discriminator's are ignored). The channel count comes
   * from the first encoder convolution when config.gin lacks it. {@code weightsFile} names the
   * source in messages.
   */
  public static RaveModel fromGinAndWeights(Path ginFile, Path weightsFile, Map<String, Tensor> weights)
      throws IOException {
    RaveConfig config;
    try {
      config = GinModelConfig.fromGin(GinConfig.load(ginFile), channelsFromWeights(weights, ginFile));
    } catch (RuntimeException e) {
      throw new IOException("cannot rebuild the model described by " + ginFile + ": " + e.getMessage(), e);
    }
    RaveModel model = RaveFactory.build(config);
    var report = model.loadStateDict(withoutStreamingCaches(weights));
    if (!report.complete()) {
      model.close();
      throw new IOException("the weights in " + weightsFile + " do not fit the architecture in " + ginFile + ": "
          + report.describe());
    }
    return model;
  }

  /** Reference exports made in streaming mode also carry cache buffers, which are not weights. */
  private static Map<String, Tensor> withoutStreamingCaches(Map<String, Tensor> weights) {
    Map<String, Tensor> out = new java.util.LinkedHashMap<>(weights);
    out.keySet().removeIf(k -> k.endsWith(".pad") || k.endsWith(".cache") || k.equals("receptive_field"));
    return out;
  }

  /** Channel count from the first encoder convolution (config.gin usually omits it). */
  private static OptionalInt channelsFromWeights(Map<String, Tensor> weights, Path ginFile) throws IOException {
    Tensor first = weights.get("encoder.encoder.net.0.weight_v");
    if (first == null) {
      first = weights.get("encoder.encoder.net.0.weight");
    }
    if (first == null) {
      return OptionalInt.empty();
    }
    GinConfig gin = GinConfig.load(ginFile);
    int bands = gin.hasMacro("N_BAND") ? gin.getInt("N_BAND") : 16;
    return OptionalInt.of((int) Math.max(1, first.size(1) / bands));
  }
}
