package org.jrave.model.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrave.model.config.gin.GinConfig;
import org.jrave.model.config.gin.GinException;
import org.jrave.model.config.gin.GinIncludes;

/**
 * A user's own gin file, written as for the reference: its {@code include}s of the reference's
 * configurations ({@code v2.gin}, {@code causal.gin}, {@code configs/v2.gin}, ...) become the jrave
 * presets of the same name, other includes are read as files, and its own macros and bindings apply
 * on top ({@link GinOverrides}). The presets apply first, wherever the includes stand in the file.
 *
 * @param presets the presets the file includes, in order
 * @param definitions the file's own macros and bindings (and those of the files it includes)
 */
public record GinFile(List<String> presets, GinConfig definitions) {

  public GinFile {
    presets = List.copyOf(presets);
  }

  /** The reference's configurations jrave has no preset for, with what to do instead. */
  static final Map<String, String> WITHOUT_PRESET = Map.of(
      "hybrid", "mel-spectrogram input is not implemented",
      "v2_with_augs", "mel-spectrogram input is not implemented",
      "v2_nopqmf", "raw (PQMF-free) output is not implemented",
      "v2_nopqmf_small", "raw (PQMF-free) output is not implemented",
      "spectral_discriminator", "choose discriminators with --override discriminator=NAME+NAME (msd, mpd, spectral1d, descript)",
      "normalize_ambient", "its compressor is not implemented; --augment compress is the closest",
      "compress", "use --augment compress",
      "gain", "use --augment gain",
      "mute", "use --augment mute",
      "prior_v1", "it configures the prior: see jrave train-prior");

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException if it does not exist or does not parse (with file:line), or
   *     includes a reference configuration jrave has no preset for
   */
  public static GinFile load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("gin file " + file + " does not exist");
    }
    List<String> presets = new ArrayList<>();
    GinIncludes includes = (name, dir) -> {
      String base = Path.of(name).getFileName().toString().replaceFirst("\\.gin$", "");
      if (Presets.all().containsKey(base)) {
        presets.add(base);
        return Optional.empty();
      }
      if (WITHOUT_PRESET.containsKey(base)) {
        throw new GinException("include '" + name + "': jrave has no equivalent of the reference's " + base + ".gin ("
            + WITHOUT_PRESET.get(base) + "); its presets: " + String.join(", ", Presets.all().keySet()));
      }
      return GinIncludes.FILES.resolve(name, dir);
    };
    try {
      GinConfig definitions = GinConfig.load(file, includes);
      return new GinFile(presets, definitions);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("gin file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read gin file " + file + ": " + e.getMessage(), e);
    } catch (GinException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
