package org.jrave.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

class AdaptiveInstanceNormalizationTest {
  private static final int B = 2;
  private static final int C = 3;
  private static final int T = 40;

  @Test
  void transferMapsSourceStatisticsToTargetStatistics() {
    try (AdaptiveInstanceNormalization adain = new AdaptiveInstanceNormalization(C); TensorScope scope = new TensorScope()) {
      adain.eval();
      float[] target = random(B * C * T, 3.0, 0.5);
      float[] source = random(B * C * T, -1.0, 2.0);
      Tensor y = Tensor.fromFloats(target, B, C, T);
      Tensor x = Tensor.fromFloats(source, B, C, T);

      adain.setLearnTarget(true);
      assertThat(adain.forward(y).toFloatArray()).as("learning the target passes the input").containsExactly(target);
      adain.setLearnTarget(false);
      adain.setLearnSource(true);
      float[] out = adain.forward(x).toFloatArray();

      for (int b = 0; b < B; b++) {
        for (int c = 0; c < C; c++) {
          int base = (b * C + c) * T;
          double mx = mean(source, base);
          double sx = std(source, base, mx);
          double my = mean(target, base);
          double sy = std(target, base, my);
          for (int t = 0; t < T; t++) {
            double expected = (source[base + t] - mx) / (sx + 1e-5) * sy + my;
            assertThat((double) out[base + t]).isCloseTo(expected, within(1e-4));
          }
        }
      }
    }
  }

  @Test
  void statisticsAreRunningAveragesOverUpdates() {
    try (AdaptiveInstanceNormalization adain = new AdaptiveInstanceNormalization(1); TensorScope scope = new TensorScope()) {
      adain.eval();
      adain.setLearnTarget(true);
      adain.forward(Tensor.full(2, 1, 1, 4));
      adain.forward(Tensor.full(4, 1, 1, 4));
      assertThat(adain.namedBuffers().get("mean_y").value().narrow(0, 0, 1).item()).isCloseTo(3f, within(1e-6f));
      assertThat(adain.namedBuffers().get("num_update_y").value().item()).isEqualTo(2f);
      assertThat(adain.namedBuffers().get("mean_y").value().narrow(0, 1, 1).item()).as("unused batch slots").isEqualTo(0f);
    }
  }

  @Test
  void isIdentityInTrainingWithoutStatisticsAndAfterReset() {
    try (AdaptiveInstanceNormalization adain = new AdaptiveInstanceNormalization(C); TensorScope scope = new TensorScope()) {
      float[] data = random(B * C * T, 1.0, 1.0);
      Tensor x = Tensor.fromFloats(data, B, C, T);
      adain.eval();
      assertThat(adain.forward(x).toFloatArray()).as("nothing learnt").containsExactly(data);
      adain.setLearnTarget(true);
      adain.forward(Tensor.fromFloats(random(B * C * T, 5, 3), B, C, T));
      adain.setLearnTarget(false);
      adain.setLearnSource(true);
      adain.train(true);
      assertThat(adain.forward(x).toFloatArray()).as("training mode").containsExactly(data);
      adain.eval();
      assertThat(adain.forward(x).toFloatArray()).as("transferring").isNotEqualTo(data);
      adain.reset();
      adain.setLearnSource(false);
      assertThat(adain.forward(x).toFloatArray()).as("after reset").containsExactly(data);
      assertThat(adain.namedBuffers().get("std_x").value().toFloatArray()).containsOnly(1f);
    }
  }

  private static float[] random(int n, double mean, double scale) {
    java.util.Random r = new java.util.Random(n + (long) (mean * 1000));
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (mean + scale * r.nextGaussian());
    }
    return out;
  }

  private static double mean(float[] v, int base) {
    double s = 0;
    for (int t = 0; t < T; t++) {
      s += v[base + t];
    }
    return s / T;
  }

  private static double std(float[] v, int base, double mean) {
    double s = 0;
    for (int t = 0; t < T; t++) {
      s += (v[base + t] - mean) * (v[base + t] - mean);
    }
    return Math.sqrt(s / (T - 1));
  }
}
