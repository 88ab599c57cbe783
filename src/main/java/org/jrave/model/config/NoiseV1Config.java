package org.jrave.model.config;

import java.util.List;

/** The v1 filtered-noise generator: strided convolution ratios and noise bands per PQMF band. */
public record NoiseV1Config(List<Integer> ratios, int noiseBands) {
  public NoiseV1Config {
    ratios = List.copyOf(ratios);
  }

  /** Audio (subband) samples per noise frame. */
  public int targetSize() {
    return ratios.stream().reduce(1, (a, b) -> a * b);
  }
}
