package org.jrave.data.transform;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** With probability {@code p}, silences the whole item (teaches the model silence). */
public record RandomMute(double p) implements Transform {
  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    if (rng.nextDouble() < p) {
      for (float[] x : audio) {
        Arrays.fill(x, 0f);
      }
    }
    return audio;
  }
}
