package org.jrave.model.latent;

import java.util.List;
import org.jrave.engine.Draws;
import org.jrave.engine.Tensor;

/**
 * Extra decoder input channels of fresh N(0, 1) noise appended to the latent (discrete and
 * Wasserstein models), so the decoder can model what the latent does not carry.
 */
public record NoiseAugmentation(int channels) {

  /** {@code [B, Z, T] -> [B, Z + channels, T]} with random noise from {@code draws}. */
  public Tensor append(Tensor z, Draws draws) {
    if (channels == 0) {
      return z;
    }
    return Tensor.cat(List.of(z, draws.normal(z.device(), z.size(0), channels, z.size(2))), 1);
  }

  /** As {@link #append} with zeros, the noise's mean, for deterministic decoding. */
  public Tensor appendSilent(Tensor z) {
    if (channels == 0) {
      return z;
    }
    return Tensor.cat(List.of(z, Tensor.zeros(z.device(), z.size(0), channels, z.size(2))), 1);
  }
}
