package org.jrave.model.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jrave.model.config.gin.GinConfig;
import org.jrave.model.config.gin.GinReference;
import org.jrave.model.config.gin.GinTuple;

/**
 * Whether a value a user's gin gives fits where it goes, judged against the value the
 * configuration's own gin has there ({@link GinOverrides}).
 */
final class GinValueChecks {
  private GinValueChecks() {}

  /**
   * A value fits where the configuration has one of the same type: an int also where a float is,
   * a tuple where a list is, and a reference (@name) or None where either is.
   */
  static void checkType(String what, Object expected, Object given) {
    if (!kind(expected).equals(kind(given)) && !(expected instanceof Double && given instanceof Long)) {
      throw new IllegalArgumentException(what + " takes " + article(kind(expected)) + " (the configuration's is "
          + GinConfig.format(expected) + "), not " + (given == null ? "None" : GinConfig.typeName(given) + " "
          + GinConfig.format(given)));
    }
  }

  /** The parameters that choose a class whose own bindings only its presets write. */
  private static final Set<String> CLASS_PARAMETERS = Set.of("encoder", "decoder");

  /** The classes jrave builds where a binding takes a reference (anything else would be read as the first). */
  private static final Map<String, List<String>> REFERENCE_CHOICES = Map.of(
      "activation", List.of("LeakyReLU", "Snake"),
      "adain", List.of("AdaptiveInstanceNormalization"),
      "noise_module", List.of("NoiseGeneratorV2"));

  /**
   * A reference names a class jrave builds there; the encoder, latent and decoder classes stay the
   * preset's, as the other classes' bindings come only with their presets.
   */
  static void checkReference(String what, String parameter, Object expected, Object given) {
    if (!(given instanceof GinReference user)) {
      return;
    }
    if (CLASS_PARAMETERS.contains(parameter) && expected instanceof GinReference preset
        && !preset.shortName().equals(user.shortName())) {
      throw new IllegalArgumentException(what + ": jrave changes the encoder, latent and decoder classes through "
          + "presets, not bindings (e.g. --config v1, --config discrete, --config v2 --config wasserstein)");
    }
    List<String> choices = REFERENCE_CHOICES.get(parameter);
    if (choices != null && !choices.contains(user.shortName())) {
      throw new IllegalArgumentException(what + ": jrave builds " + choices.stream().map(c -> "@" + c)
          .collect(Collectors.joining(" or ")) + " here, not " + user);
    }
  }

  private static String kind(Object v) {
    if (v == null || v instanceof GinReference) {
      return "reference (@name) or None";
    }
    return v instanceof GinTuple ? "list" : GinConfig.typeName(v);
  }

  private static String article(String kind) {
    return (kind.startsWith("int") ? "an " : "a ") + kind;
  }
}
