package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/**
 * Peak normalisation ({@code --normalize}, spec §6.4.7): the item is scaled so its peak over all
 * channels reaches 1, the gain capped at {@code maxGainDb} (30 dB in the reference) so near-silence
 * is not blown up into noise. Silence is left as it is.
 */
public record Normalize(double maxGainDb) implements Transform {
  public static Normalize reference() {
    return new Normalize(30);
  }

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    double peak = 0;
    for (float[] x : audio) {
      for (float v : x) {
        peak = Math.max(peak, Math.abs(v));
      }
    }
    if (peak == 0) {
      return audio;
    }
    double gainDb = Math.min(maxGainDb, -20 * Math.log10(peak));
    float gain = (float) Math.pow(10, gainDb / 20);
    for (float[] x : audio) {
      for (int i = 0; i < x.length; i++) {
        x[i] *= gain;
      }
    }
    return audio;
  }
}
