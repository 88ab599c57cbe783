package org.jrave.model.config;

import java.util.List;

/** The v2 filtered-noise generator: hidden width, strided downsampling ratios, noise bands. */
public record NoiseV2Config(int hiddenSize, List<Integer> ratios, int noiseBands) {
  public NoiseV2Config {
    ratios = List.copyOf(ratios);
  }

  public int targetSize() {
    return ratios.stream().reduce(1, (a, b) -> a * b);
  }
}
