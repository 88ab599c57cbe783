package org.jrave.model.config;

import java.util.List;
import org.jrave.model.blocks.Activation;

/**
 * The v2-family encoder: an input convolution, then per stage residual dilated units and a strided
 * convolution, then a final convolution to {@code latentSize * nOut} channels.
 *
 * @param inputChannels bands times audio channels (PQMF input) or mel bins
 * @param dilations one list of dilations per stage
 * @param keepDim multiply channels by the stage ratio instead of doubling
 */
public record EncoderV2Config(
    int inputChannels, int capacity, List<Integer> ratios, int latentSize, int nOut, int kernel,
    List<List<Integer>> dilations, boolean keepDim, Activation activation, boolean adain) implements EncoderConfig {

  public EncoderV2Config {
    ratios = List.copyOf(ratios);
    dilations = dilations.stream().map(List::copyOf).toList();
    if (dilations.size() != ratios.size()) {
      throw new IllegalArgumentException("need one dilation list per encoder stage: "
          + ratios.size() + " ratios but " + dilations.size() + " dilation lists");
    }
  }

  public int hopLength() {
    return ratios.stream().reduce(1, (a, b) -> a * b);
  }
}
