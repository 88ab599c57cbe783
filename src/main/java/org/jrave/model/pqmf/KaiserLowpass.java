package org.jrave.model.pqmf;

/**
 * Kaiser-window low-pass prototypes, computed in double precision.
 *
 * <p>The filter length follows Kaiser's formula with the transition width set equal to the
 * normalised cutoff (the reference's convention, which ties the length to the cutoff), forced odd.
 */
public final class KaiserLowpass {
  private KaiserLowpass() {}

  /** Kaiser's beta for a stop-band attenuation in dB. */
  public static double beta(double attenuation) {
    if (attenuation > 50) {
      return 0.1102 * (attenuation - 8.7);
    }
    if (attenuation >= 21) {
      return 0.5842 * Math.pow(attenuation - 21, 0.4) + 0.07886 * (attenuation - 21);
    }
    return 0;
  }

  /** Odd filter length for cutoff {@code wc} (radians) and the attenuation. */
  public static int length(double wc, double attenuation) {
    double width = wc / Math.PI;
    int n0 = (int) Math.ceil((attenuation - 7.95) / (2.285 * Math.PI * width) + 1);
    return 2 * (n0 / 2) + 1;
  }

  /** Taps {@code c sinc(c m) w[n]} with {@code c = wc / pi}, no DC normalisation. */
  public static double[] design(double wc, double attenuation) {
    int n = length(wc, attenuation);
    double beta = beta(attenuation);
    double c = wc / Math.PI;
    double i0Beta = besselI0(beta);
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      double m = i - (n - 1) / 2.0;
      double ratio = 2.0 * i / (n - 1) - 1;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
      h[i] = c * sinc(c * m) * window;
    }
    return h;
  }

  static double sinc(double u) {
    if (u == 0) {
      return 1;
    }
    double x = Math.PI * u;
    return Math.sin(x) / x;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 500; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
