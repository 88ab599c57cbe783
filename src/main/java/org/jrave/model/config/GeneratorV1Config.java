package org.jrave.model.config;

import java.util.List;

/**
 * The v1 decoder: an input convolution, then per ratio (in the encoder's order) an upsampling layer
 * halving the channels and a residual stack, then three synthesis branches (waveform, loudness,
 * filtered noise).
 *
 * @param latentInputSize latent channels plus noise-augmentation channels
 * @param outputChannels bands times audio channels
 * @param loudStride time stride of the loudness branch
 * @param residualKernels one residual block per kernel size, summed
 * @param residualDilations the dilation pair of each residual layer of a block
 * @param noise the filtered-noise branch, or null for none ({@code use_noise False})
 */
public record GeneratorV1Config(
    int latentInputSize, int capacity, List<Integer> ratios, int outputChannels, int loudStride,
    List<Integer> residualKernels, List<List<Integer>> residualDilations, NoiseV1Config noise)
    implements DecoderConfig {

  public GeneratorV1Config {
    ratios = List.copyOf(ratios);
    residualKernels = List.copyOf(residualKernels);
    residualDilations = residualDilations.stream().map(List::copyOf).toList();
  }
}
