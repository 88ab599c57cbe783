package org.jrave.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrave.model.config.ConfigBuilder;
import org.jrave.model.config.GinFile;
import org.jrave.model.config.GinOverrides;
import org.jrave.model.config.Presets;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.config.gin.GinConfig;
import org.jrave.model.config.gin.GinException;

/**
 * The model configuration {@code jrave train} builds from its options, in this order: the presets
 * (named with {@code --config}, or included by a gin file given there; v2 when none), jrave's own
 * lower-case {@code --override} keys and {@code --channels}, then the gin files' own definitions and
 * the gin {@code --override}s ({@code CAPACITY=32}, {@code VariationalEncoder.beta=0.5}), each in the
 * order given.
 *
 * @param configs {@code --config}/{@code --preset} values: preset names or gin files
 * @param overrides {@code --override} values, {@code KEY=VALUE}
 * @param channels {@code --channels}, or null
 */
record TrainConfiguration(List<String> configs, List<String> overrides, Integer channels) {

  TrainConfiguration {
    configs = List.copyOf(configs);
    overrides = List.copyOf(overrides);
  }

  /** The configuration, or a user error naming the bad option. */
  RaveConfig build() {
    try {
      Sources sources = sources();
      ConfigBuilder b = Presets.builder(sources.presets());
      List<GinOverrides.Source> gin = new ArrayList<>(sources.files());
      for (String o : overrides) {
        int eq = o.indexOf('=');
        if (eq <= 0) {
          throw new UserError("--override " + o + " is not KEY=VALUE (e.g. --override capacity=32 or CAPACITY=32)");
        }
        String key = o.substring(0, eq).trim();
        if (isJraveKey(key)) {
          b.override(key, o.substring(eq + 1));
        } else {
          gin.add(new GinOverrides.Source(parseOverride(o), "--override " + o));
        }
      }
      if (channels != null) {
        checkChannels();
        b.channels(channels);
      }
      return GinOverrides.apply(b.build(), gin);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The configuration of the presets alone (named or included), without overrides or gin files' own lines. */
  RaveConfig presetsOnly() {
    try {
      return Presets.builder(sources().presets()).build();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The {@code --config} values as run.json records them: gin files by their absolute path. */
  List<String> recorded() {
    List<String> names = configs.isEmpty() ? List.of("v2") : configs;
    return names.stream().map(c -> isGinFile(c) ? Path.of(c).toAbsolutePath().normalize().toString() : c).toList();
  }

  /** The presets in order (v2 when none is named or included), and the gin files' own definitions. */
  private record Sources(List<String> presets, List<GinOverrides.Source> files) {}

  private Sources sources() {
    List<String> presets = new ArrayList<>();
    List<GinOverrides.Source> files = new ArrayList<>();
    for (String c : configs) {
      if (isGinFile(c)) {
        GinFile file = GinFile.load(Path.of(c));
        presets.addAll(file.presets());
        files.add(new GinOverrides.Source(file.definitions(), "gin file " + c));
      } else {
        presets.add(c);
      }
    }
    return new Sources(presets.isEmpty() ? List.of("v2") : presets, files);
  }

  /** jrave's own keys are lower case without a configurable ({@code capacity}, {@code weights.adversarial}). */
  static boolean isJraveKey(String key) {
    return ConfigBuilder.OVERRIDE_KEYS.containsKey(key) || key.startsWith("weights.")
        || (key.equals(key.toLowerCase(java.util.Locale.ROOT)) && !key.contains(".") && !key.contains("/"));
  }

  /** A value naming a .gin file that exists, or any path, is a gin file; anything else a preset name. */
  static boolean isGinFile(String config) {
    return config.contains("/") || config.contains(File.separator)
        || (config.endsWith(".gin") && Files.isRegularFile(Path.of(config)));
  }

  private static GinConfig parseOverride(String override) {
    try {
      return GinConfig.parse(override, "--override " + override, Path.of(""));
    } catch (GinException e) {
      throw new UserError(e.getMessage() + "; write NAME=VALUE in gin syntax, e.g. CAPACITY=32, RATIOS=[4,4,2,2] "
          + "or get_padding.mode='causal'", e);
    }
  }

  private void checkChannels() {
    if (channels < 1) {
      throw new UserError("--channels " + channels + ": a model needs at least 1 channel");
    }
    if (overrides.stream().anyMatch(o -> o.substring(0, Math.max(0, o.indexOf('='))).trim().equals("channels"))) {
      throw new UserError("the channel count is given twice: use --channels " + channels + " or --override channels=N, "
          + "not both");
    }
  }
}
