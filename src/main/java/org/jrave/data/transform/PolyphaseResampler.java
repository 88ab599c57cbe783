package org.jrave.data.transform;

/**
 * Rational resampling by {@code up/down}: zero-stuffing by {@code up}, a Kaiser-windowed sinc
 * low-pass (beta 5, cutoff at the lower of the two Nyquist rates, 10 zero crossings per side of the
 * wider rate) and decimation by {@code down}, computed polyphase (only the taps that meet input
 * samples). The signal's mean is removed before and restored after, which is the same as extending
 * the signal by its mean at both ends instead of by zeros: no fade at the edges.
 * Output length {@code ceil(len * up / down)}, aligned so output sample 0 is input sample 0.
 */
public final class PolyphaseResampler {
  private static final double KAISER_BETA = 5.0;

  private final int up;
  private final int down;
  private final int half;
  private final double[] taps;

  public PolyphaseResampler(int up, int down) {
    if (up < 1 || down < 1) {
      throw new IllegalArgumentException("up and down must be positive: " + up + "/" + down);
    }
    int g = gcd(up, down);
    this.up = up / g;
    this.down = down / g;
    int wider = Math.max(this.up, this.down);
    this.half = 10 * wider;
    this.taps = lowpass(2 * half + 1, 1.0 / wider, this.up);
  }

  public int outputLength(int inputLength) {
    return (int) (((long) inputLength * up + down - 1) / down);
  }

  public float[] apply(float[] x) {
    if (up == down) {
      return x.clone();
    }
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= Math.max(1, x.length);
    float[] y = new float[outputLength(x.length)];
    for (int n = 0; n < y.length; n++) {
      // Output n sits at index n*down of the upsampled signal, input k at k*up; tap index is
      // (n*down - k*up + half), so k runs over the inputs the filter reaches.
      long t = (long) n * down + half;
      int kFirst = (int) Math.max(0, ceilDiv(t - (taps.length - 1), up));
      int kLast = (int) Math.min(x.length - 1, Math.floorDiv(t, up));
      double acc = 0;
      for (int k = kFirst; k <= kLast; k++) {
        acc += (x[k] - mean) * taps[(int) (t - (long) k * up)];
      }
      y[n] = (float) (acc + mean);
    }
    return y;
  }

  /** Windowed-sinc low-pass, {@code cutoff} relative to Nyquist, unit DC gain times {@code gain}. */
  private static double[] lowpass(int length, double cutoff, double gain) {
    double[] h = new double[length];
    double centre = (length - 1) / 2.0;
    double sum = 0;
    double norm = besselI0(KAISER_BETA);
    for (int i = 0; i < length; i++) {
      double m = i - centre;
      double sinc = m == 0 ? 1 : Math.sin(Math.PI * cutoff * m) / (Math.PI * cutoff * m);
      double r = 2 * i / (double) (length - 1) - 1;
      double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
      h[i] = cutoff * sinc * window;
      sum += h[i];
    }
    for (int i = 0; i < length; i++) {
      h[i] *= gain / sum;
    }
    return h;
  }

  /** Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used). */
  private static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
      term *= q / ((double) k * k);
      sum += term;
    }
    return sum;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
