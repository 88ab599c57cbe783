package org.jrave.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

class BatchNorm1dTest {

  @Test
  void trainingNormalisesWithBatchStatisticsAndUpdatesRunningOnes() {
    // Channel 0 holds 1..6, channel 1 holds 10 everywhere; batch 2, time 3.
    float[] data = {1, 2, 3, 10, 10, 10, 4, 5, 6, 10, 10, 10};
    try (BatchNorm1d bn = new BatchNorm1d(2); TensorScope scope = new TensorScope()) {
      bn.train(true);
      float[] out = bn.forward(Tensor.fromFloats(data, 2, 2, 3)).toFloatArray();
      double biasedVar = 17.5 / 6;
      assertThat((double) out[0]).isCloseTo((1 - 3.5) / Math.sqrt(biasedVar + 1e-5), within(1e-5));
      assertThat((double) out[3]).as("constant channel").isCloseTo(0, within(1e-3));
      float[] runningMean = bn.runningMean().toFloatArray();
      float[] runningVar = bn.runningVar().toFloatArray();
      assertThat((double) runningMean[0]).isCloseTo(0.1 * 3.5, within(1e-6));
      assertThat((double) runningMean[1]).isCloseTo(0.1 * 10, within(1e-6));
      assertThat((double) runningVar[0]).as("unbiased variance").isCloseTo(0.9 + 0.1 * 17.5 / 5, within(1e-6));
      assertThat(bn.batchesTracked()).isEqualTo(1);
    }
  }

  @Test
  void evalUsesTheRunningStatistics() {
    try (BatchNorm1d bn = new BatchNorm1d(1); TensorScope scope = new TensorScope()) {
      bn.runningMean().fillInPlace(2);
      bn.runningVar().fillInPlace(4);
      bn.eval();
      float[] out = bn.forward(Tensor.fromFloats(new float[] {2, 6}, 1, 1, 2)).toFloatArray();
      assertThat((double) out[0]).isCloseTo(0, within(1e-6));
      assertThat((double) out[1]).isCloseTo(4 / Math.sqrt(4 + 1e-5), within(1e-5));
      assertThat(bn.batchesTracked()).isZero();
    }
  }
}
