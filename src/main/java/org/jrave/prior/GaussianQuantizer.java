package org.jrave.prior;

import java.util.Random;

/**
 * The prior's "quantised normal" (spec 9.1): a standard-normal value becomes one of
 * {@code resolution} equiprobable classes through the normal CDF, and a class becomes a value again
 * through the inverse CDF of a uniformly dithered point inside its bin, clamped to [-4, 4].
 */
public final class GaussianQuantizer {
  static final double CLAMP = 4;
  private final int resolution;

  public GaussianQuantizer(int resolution) {
    this.resolution = resolution;
  }

  public int resolution() {
    return resolution;
  }

  public int classOf(double x) {
    double u = 0.5 * (1 + erf(x / Math.sqrt(2)));
    return (int) Math.max(0, Math.min(resolution - 1, Math.floor(u * resolution)));
  }

  /** A value inside the class's bin; {@code dither} in [0, 1) picks where (0.5 = the bin's middle). */
  public double valueOf(int cls, double dither) {
    double u = (cls + dither) / resolution;
    return Math.max(-CLAMP, Math.min(CLAMP, Math.sqrt(2) * erfinv(2 * u - 1)));
  }

  public double sample(int cls, Random random) {
    return valueOf(cls, random.nextDouble());
  }

  /**
   * Error function: its Taylor series (exact to double precision) for |x| < 2, where the bins
   * lie; beyond, Numerical Recipes' erfc fit (relative error of erfc below 1.2e-7).
   */
  static double erf(double x) {
    double z = Math.abs(x);
    if (z < 2) {
      double term = x;
      double sum = x;
      for (int n = 1; n < 60; n++) {
        term *= -x * x / n;
        sum += term / (2 * n + 1);
      }
      return 2 / Math.sqrt(Math.PI) * sum;
    }
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - r : r - 1;
  }

  /** Inverse error function: Giles' single-precision approximation refined by two Newton steps. */
  static double erfinv(double y) {
    if (y <= -1) {
      return Double.NEGATIVE_INFINITY;
    }
    if (y >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double w = -Math.log((1 - y) * (1 + y));
    double p;
    if (w < 5) {
      w -= 2.5;
      p = 2.81022636e-08;
      p = 3.43273939e-07 + p * w;
      p = -3.5233877e-06 + p * w;
      p = -4.39150654e-06 + p * w;
      p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w;
      p = -0.00417768164 + p * w;
      p = 0.246640727 + p * w;
      p = 1.50140941 + p * w;
    } else {
      w = Math.sqrt(w) - 3;
      p = -0.000200214257;
      p = 0.000100950558 + p * w;
      p = 0.00134934322 + p * w;
      p = -0.00367342844 + p * w;
      p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w;
      p = 0.00943887047 + p * w;
      p = 1.00167406 + p * w;
      p = 2.83297682 + p * w;
    }
    double x = p * y;
    for (int i = 0; i < 2; i++) {
      double err = erf(x) - y;
      x -= err / (2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
    }
    return x;
  }
}
