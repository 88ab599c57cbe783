package org.jrave.model.noise;

import org.jrave.engine.Tensor;
import org.jrave.model.blocks.ModSigmoid;

/**
 * Filtered uniform noise from per-frame magnitude responses, as RAVE's noise generators make it.
 *
 * <p>Each frame's {@code noiseBands} magnitudes become a zero-phase impulse response (inverse real
 * FFT of length {@code K = 2 (noiseBands - 1)}), centred by a circular shift of K/2, windowed with a
 * periodic Hann window, padded (or truncated) to {@code frameLength} samples and shifted back by
 * -K/2 (modulo the frame length). Uniform noise in [-1, 1) is convolved causally with it, truncated
 * to the frame.
 */
public final class FilteredNoise {
  private FilteredNoise() {}

  /**
   * The noise of a noise generator's last layer: magnitudes {@code mod_sigmoid(features - 5)}, as
   * both reference generations compute them, then {@link #synthesize}.
   */
  public static Tensor fromFeatures(Tensor features, int bands, int noiseBands, int frameLength, NoiseSource source) {
    return synthesize(ModSigmoid.apply(features.sub(5)), bands, noiseBands, frameLength, source);
  }

  /**
   * @param amplitudes {@code [B, bands * noiseBands, F]}
   * @return {@code [B, bands, F * frameLength]}
   */
  public static Tensor synthesize(Tensor amplitudes, int bands, int noiseBands, int frameLength, NoiseSource source) {
    long batch = amplitudes.size(0);
    long frames = amplitudes.size(2);
    Tensor a = amplitudes.permute(0, 2, 1).reshape(batch, frames, bands, noiseBands);
    Tensor ir = impulseResponse(a, frameLength);
    Tensor u = source.uniform(amplitudes.device(), batch, frames, bands, frameLength).mul(2).sub(1);
    Tensor filtered = causalConvolve(u, ir);
    return filtered.permute(0, 2, 1, 3).reshape(batch, bands, frames * frameLength);
  }

  /**
   * The impulse response is linear in the magnitudes: the {@code [length][noiseBands]} matrix that
   * maps one band's magnitudes to its response (for engines that apply it frame by frame).
   */
  public static float[][] impulseResponseMatrix(int noiseBands, int length) {
    float[] identity = new float[noiseBands * noiseBands];
    for (int i = 0; i < noiseBands; i++) {
      identity[i * noiseBands + i] = 1f;
    }
    float[] columns;
    try (org.jrave.engine.TensorScope scope = new org.jrave.engine.TensorScope()) {
      columns = impulseResponse(Tensor.fromFloats(identity, noiseBands, noiseBands), length).toFloatArray();
    }
    float[][] matrix = new float[length][noiseBands];
    for (int f = 0; f < noiseBands; f++) {
      for (int t = 0; t < length; t++) {
        matrix[t][f] = columns[f * length + t];
      }
    }
    return matrix;
  }

  static Tensor impulseResponse(Tensor magnitudes, int length) {
    int k = 2 * ((int) magnitudes.size(-1) - 1);
    Tensor ir = magnitudes.toComplex().irfft(k);
    ir = ir.roll(k / 2, -1);
    ir = ir.mul(Tensor.hannWindow(k, magnitudes));
    if (length >= k) {
      ir = ir.padLast(0, length - k);
    } else {
      ir = ir.narrow(-1, 0, length).contiguous();
    }
    // Python's floor division: -K // 2 for the left shift.
    return ir.roll(Math.floorDiv(-k, 2), -1);
  }

  /** {@code out[n] = sum_{m <= n} u[m] ir[n - m]} over the last axis, by FFT as the reference does. */
  static Tensor causalConvolve(Tensor u, Tensor ir) {
    long n = u.size(-1);
    Tensor uPadded = u.padLast(0, n);
    Tensor irPadded = ir.padLast(n, 0);
    Tensor product = uPadded.rfft(2 * n).mul(irPadded.rfft(2 * n));
    Tensor full = product.irfft(2 * n);
    return full.narrow(-1, n, n);
  }
}
