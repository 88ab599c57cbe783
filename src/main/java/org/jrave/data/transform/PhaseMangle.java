package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/**
 * With probability {@code p}, a second-order all-pass filter at a log-uniform frequency in
 * [minHz, maxHz] (pole radius 0.99), applied to every channel from zero state (spec §6.4.4):
 * the magnitude spectrum is untouched, the phase is scrambled around that frequency.
 */
public record PhaseMangle(double p, double minHz, double maxHz, int sampleRate) implements Transform {
  public static PhaseMangle reference(int sampleRate) {
    return new PhaseMangle(0.8, 20, 2000, sampleRate);
  }

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    if (rng.nextDouble() >= p) {
      return audio;
    }
    double f = Math.exp(rng.nextDouble() * (Math.log(maxHz) - Math.log(minHz)) + Math.log(minHz));
    double w = 2 * Math.PI * f / sampleRate;
    double re = 0.99 * Math.cos(w);
    double r2 = 0.99 * 0.99;
    // b = [|z0|², -2 Re z0, 1], a = [1, -2 Re z0, |z0|²]
    double b0 = r2, b1 = -2 * re, b2 = 1, a1 = -2 * re, a2 = r2;
    for (float[] x : audio) {
      double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
      for (int n = 0; n < x.length; n++) {
        double x0 = x[n];
        double y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x0;
        y2 = y1;
        y1 = y0;
        x[n] = (float) y0;
      }
    }
    return audio;
  }
}
