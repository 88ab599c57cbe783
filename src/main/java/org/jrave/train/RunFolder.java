package org.jrave.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.io.ConfigJson;

/**
 * The folder of one training run:
 *
 * <pre>
 * NAME/run.json               how the run was started (for --resume)
 * NAME/config.json            the resolved model and training configuration
 * NAME/model.safetensors      the best model so far (a jrave model file: encode/decode/demo take it)
 * NAME/checkpoints/           last.ckpt, best.ckpt, step_NNNNNNNN.ckpt (every --save-every steps)
 * NAME/logs/                  TensorBoard event files
 * NAME/validation/            spectrograms (input above reconstruction) at each validation
 * </pre>
 */
public record RunFolder(Path root) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Path settingsFile() {
    return root.resolve("run.json");
  }

  public Path configFile() {
    return root.resolve("config.json");
  }

  public Path modelFile() {
    return root.resolve("model.safetensors");
  }

  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  public Path lastCheckpoint() {
    return checkpoints().resolve("last.ckpt");
  }

  public Path bestCheckpoint() {
    return checkpoints().resolve("best.ckpt");
  }

  public Path stepCheckpoint(long step) {
    return checkpoints().resolve(String.format("step_%08d.ckpt", step));
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path validation() {
    return root.resolve("validation");
  }

  /** Creates the folders and writes the settings and configuration of a new run. */
  public void create(RunSettings settings, RaveConfig config) throws IOException {
    Files.createDirectories(checkpoints());
    Files.createDirectories(logs());
    Files.createDirectories(validation());
    JSON.writeValue(settingsFile().toFile(), settings);
    Files.writeString(configFile(), ConfigJson.write(config));
  }

  public RunSettings readSettings() throws IOException {
    return JSON.readValue(settingsFile().toFile(), RunSettings.class);
  }

  /** Settings from the text of a {@code run.json}. */
  public static RunSettings settingsFromJson(String json) throws IOException {
    return JSON.readValue(json, RunSettings.class);
  }

  public RaveConfig readConfig() throws IOException {
    return ConfigJson.read(Files.readString(configFile()));
  }

  public static String settingsJson(RunSettings settings) {
    try {
      return JSON.writeValueAsString(settings);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
