package org.jrave.train;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Principal axes of the latent means seen in validation (spec 5.6), as scikit-learn's
 * {@code PCA(n_components = Z)}: components are the right singular vectors of the centred matrix in
 * decreasing variance, each with its largest-magnitude entry made positive (the sign rule of
 * {@code svd_flip} on V^T); {@code fidelity} is the cumulative explained-variance ratio.
 *
 * @param mean column means {@code [Z]}
 * @param components {@code [Z, Z]}, rows are the axes
 * @param fidelity {@code [Z]}, non-decreasing, last value 1
 */
public record LatentPca(float[] mean, float[] components, float[] fidelity) {

  /** Fits rows {@code [N, Z]}; null when there are fewer rows than dimensions (not enough data). */
  public static LatentPca fit(Tensor rows) {
    int z = (int) rows.size(1);
    if (rows.size(0) < z) {
      return null;
    }
    try (TensorScope scope = new TensorScope(); NoGrad ignored = NoGrad.enter()) {
      Tensor x = rows.toDouble();
      Tensor mean = x.mean(0, false);
      Tensor[] usv = x.sub(mean).svd();
      double[] s = toDoubles(usv[1].toFloatArray());
      float[] vh = usv[2].toFloat().toFloatArray();
      for (int r = 0; r < z; r++) {
        int best = 0;
        for (int c = 1; c < z; c++) {
          if (Math.abs(vh[r * z + c]) > Math.abs(vh[r * z + best])) {
            best = c;
          }
        }
        if (vh[r * z + best] < 0) {
          for (int c = 0; c < z; c++) {
            vh[r * z + c] = -vh[r * z + c];
          }
        }
      }
      double total = 0;
      for (double v : s) {
        total += v * v;
      }
      float[] fidelity = new float[z];
      double cumulative = 0;
      for (int i = 0; i < z; i++) {
        cumulative += s[i] * s[i];
        fidelity[i] = (float) (cumulative / total);
      }
      return new LatentPca(mean.toFloat().toFloatArray(), vh, fidelity);
    }
  }

  private static double[] toDoubles(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  /** Index of the first component whose cumulative ratio exceeds {@code p} (the reference's log). */
  public int components(double p) {
    for (int i = 0; i < fidelity.length; i++) {
      if (fidelity[i] > p) {
        return i;
      }
    }
    return 0;
  }
}
