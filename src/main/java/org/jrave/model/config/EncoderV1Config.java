package org.jrave.model.config;

import java.util.List;

/**
 * The v1 encoder: an input convolution, then per stage batch norm, LeakyReLU and a strided
 * convolution (kernel 2r+1) doubling the channels, then a grouped convolution to
 * {@code latentSize * nOut} channels (one group per output part). No weight norm, no bias.
 *
 * @param inputChannels bands times audio channels
 */
public record EncoderV1Config(int inputChannels, int capacity, List<Integer> ratios, int latentSize, int nOut)
    implements EncoderConfig {

  public EncoderV1Config {
    ratios = List.copyOf(ratios);
  }

  public int hopLength() {
    return ratios.stream().reduce(1, (a, b) -> a * b);
  }
}
