package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/**
 * With probability {@code p}, multiplies the item by a gain uniform in [minDb, maxDb]; with
 * {@code limit}, the gain is lowered so the peak stays at or below 1. (The reference's RandomGain
 * returns its input unchanged — pitfall 15; jrave applies the gain it describes.)
 */
public record RandomGain(double minDb, double maxDb, double p, boolean limit) implements Transform {
  public static RandomGain reference() {
    return new RandomGain(-6, 3, 0.5, true);
  }

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    if (rng.nextDouble() >= p) {
      return audio;
    }
    double gain = Math.pow(10, (minDb + rng.nextDouble() * (maxDb - minDb)) / 20);
    if (limit) {
      double peak = 0;
      for (float[] x : audio) {
        for (float v : x) {
          peak = Math.max(peak, Math.abs(v));
        }
      }
      if (peak * gain > 1) {
        gain = 1 / peak;
      }
    }
    for (float[] x : audio) {
      for (int i = 0; i < x.length; i++) {
        x[i] *= (float) gain;
      }
    }
    return audio;
  }
}
