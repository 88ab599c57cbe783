package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

class LatentPcaTest {

  @Test
  void findsTheAxesInDecreasingVarianceWithSklearnSigns() {
    // 3-D data: std 3 along (1,1,0)/sqrt2, std 1 along z, std 0.1 along (1,-1,0)/sqrt2, mean (5, -2, 1).
    int n = 4000;
    float[] rows = new float[n * 3];
    Random r = new Random(1);
    double s = Math.sqrt(0.5);
    for (int i = 0; i < n; i++) {
      double a = 3 * r.nextGaussian();
      double b = r.nextGaussian();
      double c = 0.1 * r.nextGaussian();
      rows[3 * i] = (float) (5 + s * a + s * c);
      rows[3 * i + 1] = (float) (-2 + s * a - s * c);
      rows[3 * i + 2] = (float) (1 + b);
    }
    try (TensorScope scope = new TensorScope()) {
      LatentPca pca = LatentPca.fit(Tensor.fromFloats(rows, n, 3));
      assertThat(pca.mean()[0]).isCloseTo(5f, within(0.15f));
      float[] v = pca.components();
      // First axis (1,1,0)/sqrt2 with a positive largest entry; second (0,0,1); third (1,-1,0)/sqrt2 up to sign.
      assertThat(Math.abs(v[0])).isCloseTo((float) s, within(0.02f));
      assertThat(Math.max(v[0], v[1])).isPositive();
      assertThat(Math.abs(v[5])).isCloseTo(1f, within(0.02f));
      assertThat(v[5]).isPositive();
      for (int row = 0; row < 3; row++) {
        float big = 0;
        for (int c = 0; c < 3; c++) {
          if (Math.abs(v[3 * row + c]) > Math.abs(big)) {
            big = v[3 * row + c];
          }
        }
        assertThat(big).as("largest entry of row %d", row).isPositive();
      }
      // Variances 9, 1, 0.01: cumulative ratios 0.90, 0.999, 1.
      assertThat(pca.fidelity()[0]).isCloseTo(9f / 10.01f, within(0.02f));
      assertThat(pca.fidelity()[2]).isCloseTo(1f, within(1e-5f));
      assertThat(pca.components(0.8)).isEqualTo(0);
      assertThat(pca.components(0.95)).isEqualTo(1);
    }
  }

  @Test
  void needsAtLeastAsManyRowsAsDimensions() {
    try (TensorScope scope = new TensorScope()) {
      assertThat(LatentPca.fit(Tensor.zeros(3, 8))).isNull();
    }
  }
}
