package org.jrave.model.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How the encoder's raw output becomes the decoder's input (and what regularises it in training).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LatentConfig.Variational.class, name = "variational"),
  @JsonSubTypes.Type(value = LatentConfig.Wasserstein.class, name = "wasserstein"),
  @JsonSubTypes.Type(value = LatentConfig.Discrete.class, name = "discrete"),
  @JsonSubTypes.Type(value = LatentConfig.Spherical.class, name = "spherical")
})
public sealed interface LatentConfig {

  /** Latent channels the decoder sees beyond the encoded ones (fresh N(0,1) noise). */
  default int noiseAugmentation() {
    return 0;
  }

  /** Gaussian posterior {@code [mean | scale]}, KL regulariser. */
  record Variational(double beta) implements LatentConfig {}

  /** Deterministic latent regularised towards N(0, I) by an MMD penalty. */
  record Wasserstein(int noiseAugmentation) implements LatentConfig {}

  /** Residual vector quantisation of the latent frames. */
  record Discrete(int numQuantizers, int codebookSize, int noiseAugmentation) implements LatentConfig {}

  /** Latent projected onto the unit sphere. */
  record Spherical() implements LatentConfig {}
}
