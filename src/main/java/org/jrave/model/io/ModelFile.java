package org.jrave.model.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrave.engine.Parameter;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;

/**
 * jrave's own model file: a safetensors file whose tensors are the model's state dict under the
 * reference's names and whose metadata carries {@code format = "jrave-model"}, a
 * {@code format_version} and the full configuration as JSON ({@code config}). One file is a complete
 * model; other safetensors readers can still inspect its weights.
 */
public final class ModelFile {

  public static final String FORMAT = "jrave-model";
  public static final int VERSION = 1;

  private ModelFile() {}

  public static void save(RaveModel model, Path file) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : model.stateEntries().entrySet()) {
      tensors.put(e.getKey(), e.getValue().value());
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", Integer.toString(VERSION));
    meta.put("sampling_rate", Integer.toString(model.config().sampleRate()));
    meta.put("config", ConfigJson.write(model.config()));
    Safetensors.write(file, tensors, meta);
  }

  /** Whether {@code metadata} marks a jrave model file. */
  public static boolean isModelFile(Map<String, String> metadata) {
    return FORMAT.equals(metadata.get("format"));
  }

  public static RaveModel load(Path file) throws IOException {
    Safetensors.Contents contents = Safetensors.read(file);
    Map<String, String> meta = contents.metadata();
    if (!isModelFile(meta)) {
      throw new IOException(file + " is a safetensors file but not a jrave model (no format=" + FORMAT
          + " in its metadata); for reference weights pass the run folder that holds config.gin");
    }
    int version = Integer.parseInt(meta.getOrDefault("format_version", "0"));
    if (version > VERSION) {
      throw new IOException(file + " was written by a newer jrave (model format " + version
          + "; this jrave reads up to " + VERSION + "): upgrade jrave");
    }
    RaveConfig config = ConfigJson.read(meta.get("config"));
    RaveModel model = RaveFactory.build(config);
    model.loadStateDict(contents.tensors()).requireComplete(file.toString());
    return model;
  }
}
