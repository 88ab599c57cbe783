package org.jrave.demo;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.train.loss.AudioDistance;

/**
 * How close an output clip is to its input, in the two figures a listener hears first: the
 * multi-scale spectral distance RAVE trains and validates with (0 for identical clips; the smaller
 * the closer), and the loudness difference (RMS level of the output minus the input's, in dB).
 */
public record ClipComparison(double spectralDistance, double loudnessDifferenceDb) {

  /** Compares the common length of two mono clips. */
  public static ClipComparison of(float[] input, float[] output) {
    int n = Math.min(input.length, output.length);
    if (n == 0) {
      throw new IllegalArgumentException("cannot compare empty clips");
    }
    double distance;
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter();
        AudioDistance d = AudioDistance.reference(1e-7)) {
      Tensor x = Tensor.fromFloats(java.util.Arrays.copyOf(input, n), 1, 1, n);
      Tensor y = Tensor.fromFloats(java.util.Arrays.copyOf(output, n), 1, 1, n);
      distance = d.distance(x, y).item();
    }
    return new ClipComparison(distance, rmsDb(output, n) - rmsDb(input, n));
  }

  /** RMS level of the first {@code n} samples in dB (full scale = 0 dB; silence is -200 dB). */
  static double rmsDb(float[] samples, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += (double) samples[i] * samples[i];
    }
    return 10 * Math.log10(Math.max(sum / n, 1e-20));
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "spectral distance %.2f, loudness %+.1f dB", spectralDistance,
        loudnessDifferenceDb);
  }
}
