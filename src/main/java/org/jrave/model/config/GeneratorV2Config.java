package org.jrave.model.config;

import java.util.List;
import org.jrave.model.blocks.Activation;

/**
 * The v2-family decoder, the mirror of {@link EncoderV2Config}: stages run over the reversed ratios
 * and reversed dilation lists.
 *
 * @param latentInputSize latent channels plus noise-augmentation channels
 * @param outputChannels bands times audio channels (or 1 for raw output)
 * @param noise the filtered-noise branch, or null for none
 */
public record GeneratorV2Config(
    int capacity, List<Integer> ratios, int latentInputSize, int kernel, List<List<Integer>> dilations,
    boolean keepDim, int outputChannels, boolean amplitudeModulation, NoiseV2Config noise,
    Activation activation, boolean adain) implements DecoderConfig {

  public GeneratorV2Config {
    ratios = List.copyOf(ratios);
    dilations = dilations.stream().map(List::copyOf).toList();
  }
}
