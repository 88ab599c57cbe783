package org.jrave.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Input gradients of convolutions whose output channel count is not a multiple of 16: oneDNN's CPU
 * backward in libtorch 2.10 gets them wrong (and NaN when stale memory holds a NaN) unless jrave
 * pads the output channels (see OneDnnChannelPadding). libtorch's own kernels (oneDNN off) are the
 * reference. Wide layers (16, 32) are included to show the comparison itself is tight.
 */
class ConvolutionGradientTest {

  @AfterEach
  void oneDnnBackOn() {
    Engine.setMkldnn(true);
  }

  @ParameterizedTest
  @CsvSource({"8, 8", "64, 1", "12, 24", "16, 16", "4, 32"})
  void conv1dInputGradientsEqualLibtorchsOwnKernels(int in, int out) {
    Engine.initialize(1);
    assertSameInputGradient(in, new long[] {2, in, 258}, new long[] {out, in, 3},
        (x, w) -> x.conv1d(w, null, 1, 1, 1));
  }

  @ParameterizedTest
  @CsvSource({"32, 1", "8, 8", "16, 32"})
  void conv2dInputGradientsEqualLibtorchsOwnKernels(int in, int out) {
    Engine.initialize(1);
    assertSameInputGradient(in, new long[] {2, in, 64, 5}, new long[] {out, in, 5, 1},
        (x, w) -> x.conv2d(w, null, new long[] {1, 1}, new long[] {2, 0}, new long[] {1, 1}, 1));
  }

  @ParameterizedTest
  @CsvSource({"8, 8", "64, 1"})
  void inputGradientsStayFiniteWhenFreedMemoryHoldsNaN(int in, int out) {
    Engine.initialize(1);
    Engine.manualSeed(5);
    for (int round = 0; round < 200; round++) {
      try (TensorScope poison = new TensorScope()) {
        for (long n = 16; n < (1 << 16); n = n * 3 / 2 + 7) {
          Tensor.full(Double.NaN, n); // freed at once: the allocator hands this memory out again
        }
      }
      try (TensorScope scope = new TensorScope()) {
        Tensor x = Tensor.randn(Device.CPU, 2, in, 258).requiresGrad(true);
        Tensor y = x.conv1d(Tensor.randn(Device.CPU, out, in, 3), null, 1, 1, 1);
        y.mul(Tensor.randn(Device.CPU, y.shape())).sum().backward();
        assertThat(x.grad().sum().item()).as("round %d", round).isFinite();
      }
    }
  }

  private interface Convolution {
    Tensor apply(Tensor x, Tensor w);
  }

  private static void assertSameInputGradient(int in, long[] xShape, long[] wShape, Convolution conv) {
    try (TensorScope scope = new TensorScope()) {
      Engine.manualSeed(3);
      Tensor x0 = Tensor.randn(Device.CPU, xShape);
      Tensor w = Tensor.randn(Device.CPU, wShape);
      Function<Boolean, float[]> inputGradient = oneDnn -> {
        Engine.setMkldnn(oneDnn);
        Tensor x = x0.copy().requiresGrad(true);
        Tensor y = conv.apply(x, w);
        Engine.manualSeed(4);
        y.mul(Tensor.randn(Device.CPU, y.shape())).sum().backward();
        return x.grad().toFloatArray();
      };
      float[] withOneDnn = inputGradient.apply(true);
      float[] reference = inputGradient.apply(false);
      double worst = 0;
      double peak = 0;
      for (int i = 0; i < reference.length; i++) {
        worst = Math.max(worst, Math.abs(withOneDnn[i] - reference[i]));
        peak = Math.max(peak, Math.abs(reference[i]));
      }
      assertThat(worst).as("largest input-gradient difference (peak %.3f)", peak).isLessThan(1e-5 * peak);
    }
  }
}
