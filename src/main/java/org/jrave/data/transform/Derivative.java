package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/**
 * The first difference {@code y[n] = 0.5 x[n] - 0.5 x[n-1]} per channel from zero state
 * ({@code --derivative}, spec §6.4.8): the model then learns a high-passed signal;
 * {@link #integrate} undoes it (approximately, leaky below ~10 Hz) for listening.
 */
public record Derivative() implements Transform {

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    for (float[] x : audio) {
      float previous = 0;
      for (int n = 0; n < x.length; n++) {
        float current = x[n];
        x[n] = 0.5f * current - 0.5f * previous;
        previous = current;
      }
    }
    return audio;
  }

  /**
   * The reference's listening integrator {@code H(z) = a^2 (1 - z^-1) / (1 - 2a z^-1 + a^2 z^-2)},
   * {@code a = 1 / (1 + 2 pi 10 / sr)}, from zero state; returns a new array.
   */
  public static float[] integrate(float[] x, int sampleRate) {
    double a = 1 / (1 + 2 * Math.PI * 10 / sampleRate);
    double x1 = 0, y1 = 0, y2 = 0;
    float[] y = new float[x.length];
    for (int n = 0; n < x.length; n++) {
      double y0 = a * a * (x[n] - x1) + 2 * a * y1 - a * a * y2;
      x1 = x[n];
      y2 = y1;
      y1 = y0;
      y[n] = (float) y0;
    }
    return y;
  }
}
