package org.jrave.model.config;

import java.util.List;

/**
 * The v1 encoder: an input convolution, then per stage batch norm, LeakyReLU and a strided
 * convolution (kernel 2r+1) doubling the channels, then a grouped convolution to
 * {@code latentSize * nOut} channels (one group per output part). No weight norm, no bias.
 *
 * @param inputChannels bands times audio channels
 * @param sampleNorm normalise each frame to unit L2 norm over channels instead of batch norm
 * @param repeatLayers convolutions per stage: the strided one plus {@code repeatLayers - 1} more
 *     (norm, activation, conv k3) at the stage's output width
 */
public record EncoderV1Config(
    int inputChannels, int capacity, List<Integer> ratios, int latentSize, int nOut, boolean sampleNorm,
    int repeatLayers) implements EncoderConfig {

  public EncoderV1Config {
    ratios = List.copyOf(ratios);
    if (repeatLayers < 1) {
      throw new IllegalArgumentException("repeat_layers must be at least 1, got " + repeatLayers);
    }
  }

  public int hopLength() {
    return ratios.stream().reduce(1, (a, b) -> a * b);
  }
}
