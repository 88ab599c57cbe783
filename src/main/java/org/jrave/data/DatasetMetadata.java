package org.jrave.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The database's {@code metadata.yaml} (spec §6.1.5): four flat keys written sorted, as the
 * reference's {@code yaml.safe_dump} does. Only the flat {@code key: value} subset of YAML is read,
 * which is all the reference writes. {@code nSeconds} is informative: readers never rely on it.
 */
public record DatasetMetadata(int channels, boolean lazy, double nSeconds, int sr) {
  public static final String FILE_NAME = "metadata.yaml";

  public String toYaml() {
    return "channels: " + channels + "\n"
        + "lazy: " + lazy + "\n"
        + "n_seconds: " + pythonFloat(nSeconds) + "\n"
        + "sr: " + sr + "\n";
  }

  /** Writes to a temporary file first and renames it, so a reader never sees half a file. */
  public void write(Path databaseDir) throws IOException {
    Path tmp = databaseDir.resolve(FILE_NAME + ".tmp");
    Files.writeString(tmp, toYaml(), StandardCharsets.UTF_8);
    Files.move(tmp, databaseDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static Optional<DatasetMetadata> read(Path databaseDir) throws IOException {
    Path file = databaseDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (line.isBlank() || line.startsWith("#") || colon < 0) {
        continue;
      }
      values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    try {
      return Optional.of(new DatasetMetadata(
          Integer.parseInt(values.getOrDefault("channels", "1")),
          Boolean.parseBoolean(values.getOrDefault("lazy", "false").toLowerCase(Locale.ROOT)),
          Double.parseDouble(values.getOrDefault("n_seconds", "0")),
          Integer.parseInt(values.getOrDefault("sr", "0"))));
    } catch (NumberFormatException e) {
      throw new IOException(file + " is not a RAVE metadata file: " + e.getMessage(), e);
    }
  }

  /** Python's repr of a float for ordinary magnitudes (always with a decimal point). */
  private static String pythonFloat(double v) {
    String s = Double.toString(v);
    return s.contains("E") ? String.format(Locale.ROOT, "%.6e", v) : s;
  }
}
