package org.jrave.model.pqmf;

/**
 * The cosine-modulated analysis and synthesis filters of an M-band PQMF, derived from a prototype.
 *
 * <p>{@code hk[k, n] = 2 h[n] cos((2k + 1) pi / (2M) t + (-1)^k pi / 4)} with {@code t} centred on
 * the prototype, each row zero-padded to the next power of two P. The analysis convolution uses
 * {@code hk} plus one zero tap (odd kernel P + 1, so centred padding is symmetric); the synthesis
 * convolution is its polyphase time-reversal, {@code W[j, k, tau] = hk[k, P - 1 - (M tau + j)]},
 * also with one zero tap appended.
 *
 * <p>The modulation is evaluated in double precision; the reference evaluates it in float32, so
 * designed filters differ from a reference checkpoint's by up to 2e-7 (relative 4e-6). Models loaded
 * from weights use the stored filters and are exact.
 */
public record PqmfFilters(int bands, float[] prototype, float[][] hk, int paddedLength) {

  public static PqmfFilters design(int bands, double attenuation) {
    PqmfPrototype proto = PqmfPrototype.design(bands, attenuation);
    double[] h = proto.taps();
    int n = h.length;
    int p = Integer.highestOneBit(n - 1) << 1;
    int leftPad = (p - n) / 2;
    float[][] hk = new float[bands][p];
    for (int k = 0; k < bands; k++) {
      double phase = (k % 2 == 0 ? 1 : -1) * Math.PI / 4;
      for (int i = 0; i < n; i++) {
        double t = i - (n - 1) / 2.0;
        hk[k][leftPad + i] = (float) (2 * h[i] * Math.cos((2 * k + 1) * Math.PI / (2 * bands) * t + phase));
      }
    }
    float[] prototype = new float[n];
    for (int i = 0; i < n; i++) {
      prototype[i] = (float) h[i];
    }
    return new PqmfFilters(bands, prototype, hk, p);
  }

  /** Analysis weight {@code [M, 1, P + 1]}, flattened C-order. */
  public float[] analysisWeight() {
    int k = paddedLength + 1;
    float[] w = new float[bands * k];
    for (int b = 0; b < bands; b++) {
      System.arraycopy(hk[b], 0, w, b * k, paddedLength);
    }
    return w;
  }

  /** Synthesis weight {@code [M, M, P / M + 1]}, flattened C-order. */
  public float[] synthesisWeight() {
    int taps = paddedLength / bands + 1;
    float[] w = new float[bands * bands * taps];
    for (int j = 0; j < bands; j++) {
      for (int k = 0; k < bands; k++) {
        for (int tau = 0; tau < taps - 1; tau++) {
          w[(j * bands + k) * taps + tau] = hk[k][paddedLength - 1 - (bands * tau + j)];
        }
      }
    }
    return w;
  }

  public float[] hkFlat() {
    float[] out = new float[bands * paddedLength];
    for (int b = 0; b < bands; b++) {
      System.arraycopy(hk[b], 0, out, b * paddedLength, paddedLength);
    }
    return out;
  }
}
