package org.jrave.cli;

import java.util.Map;
import org.jrave.streaming.LatentControl;
import picocli.CommandLine.Option;

/**
 * {@code --deterministic}, {@code --bias} and {@code --scale}: the latent edits of {@code generate}
 * and {@code live}. Their help text comes from each command's resource bundle
 * ({@code GenerateCommand.properties}, {@code LiveCommand.properties}): generate applies the edits
 * to every file, live only sets their starting values.
 */
public final class LatentEditOptions {

  @Option(names = "--deterministic", descriptionKey = "deterministic")
  boolean deterministic;

  @Option(names = "--bias", paramLabel = "DIM=VALUE", descriptionKey = "bias")
  Map<Integer, Float> bias = Map.of();

  @Option(names = "--scale", paramLabel = "DIM=VALUE", descriptionKey = "scale")
  Map<Integer, Float> scale = Map.of();

  /** Whether any of the three was given (a TorchScript model cannot honour them). */
  boolean given() {
    return deterministic || !bias.isEmpty() || !scale.isEmpty();
  }

  /** Sets the bias and scale on {@code control}, or a user error naming a dimension it does not have. */
  void applyTo(LatentControl control) {
    try {
      bias.forEach(control::setBias);
      scale.forEach(control::setScale);
    } catch (IllegalArgumentException e) {
      throw new UserError("--bias/--scale: " + e.getMessage());
    }
  }
}
