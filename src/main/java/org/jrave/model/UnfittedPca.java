package org.jrave.model;

import java.util.Locale;
import java.util.Optional;
import org.jrave.model.latent.VariationalEncoder;

/**
 * Says when a VAE's latent PCA was never fitted, and how much audio fitting it takes. An unfitted
 * PCA leaves {@code fidelity} all zero and {@code latent_pca} the identity, so an export keeps a
 * single latent dimension; the PCA needs at least as many latent frames as latent dimensions.
 */
public final class UnfittedPca {
  private UnfittedPca() {}

  /** True for a VAE whose {@code fidelity} is all zero (a fitted PCA's last value is 1). */
  public static boolean of(RaveModel model) {
    if (!(model.encoder() instanceof VariationalEncoder)) {
      return false;
    }
    for (float f : model.fidelity().toFloatArray()) {
      if (f != 0f) {
        return false;
      }
    }
    return true;
  }

  /** The one-line warning for a model whose PCA is not fitted, empty when it is (or has none). */
  public static Optional<String> warning(RaveModel model) {
    if (!of(model)) {
      return Optional.empty();
    }
    int z = (int) model.fidelity().size(0);
    return Optional.of(String.format(Locale.ROOT,
        "warning: latent PCA not fitted (fidelity all zero, so an export keeps 1 of %d latent dimensions): %s",
        z, minimum(z, model.ratio(), model.config().sampleRate())));
  }

  /** What fitting needs: {@code z} latent frames, and how many seconds of audio that is. */
  public static String minimum(int latentSize, int ratio, int sampleRate) {
    return String.format(Locale.ROOT,
        "fitting it needs at least %d latent frames of validation and training audio (%d x %d / %d Hz = %.2f s)",
        latentSize, latentSize, ratio, sampleRate, (double) latentSize * ratio / sampleRate);
  }
}
