package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/**
 * Adds uniform noise in [0, 2^-bits) to every sample, as the reference does (positive-only, so it
 * adds a DC offset of 2^-(bits+1), about 7.6e-6 for 16 bits: spec pitfall 16).
 */
public record Dequantize(int bits) implements Transform {
  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    double scale = Math.pow(2, -bits);
    for (float[] x : audio) {
      for (int i = 0; i < x.length; i++) {
        x[i] += (float) (rng.nextDouble() * scale);
      }
    }
    return audio;
  }
}
