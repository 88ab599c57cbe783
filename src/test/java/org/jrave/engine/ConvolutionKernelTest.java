package org.jrave.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every convolution kernel training may choose gives libtorch's default convolution's output and
 * its gradients for input, weight and bias, on the geometries the discriminators use (one input
 * channel with stride 4 and kernels 15 and 5; wide strided layers; a 1x1 output layer).
 */
class ConvolutionKernelTest {

  @ParameterizedTest
  @CsvSource({
      "NATIVE, 1, 8, 15, 4, 7", "UNFOLD_MATMUL, 1, 8, 15, 4, 7",
      "NATIVE, 1, 16, 5, 4, 2", "UNFOLD_MATMUL, 1, 16, 5, 4, 2",
      "NATIVE, 12, 24, 5, 4, 2", "UNFOLD_MATMUL, 12, 24, 5, 4, 2",
      "NATIVE, 16, 1, 1, 1, 0", "UNFOLD_MATMUL, 16, 1, 1, 1, 0"})
  void kernelMatchesTheDefaultConvolutionAndItsGradients(ConvolutionKernel kernel, int in, int out, int k,
      int stride, int padding) {
    Engine.initialize(1);
    try (TensorScope scope = new TensorScope()) {
      Engine.manualSeed(11);
      Tensor x0 = Tensor.randn(Device.CPU, 3, in, 517);
      Tensor w0 = Tensor.randn(Device.CPU, out, in, k).mul(0.3);
      Tensor b0 = Tensor.randn(Device.CPU, out);
      List<float[]> expected = run(ConvolutionKernel.DEFAULT, x0, w0, b0, stride, padding);
      List<float[]> actual = run(kernel, x0, w0, b0, stride, padding);
      String[] names = {"output", "input gradient", "weight gradient", "bias gradient"};
      for (int i = 0; i < names.length; i++) {
        assertThat(actual.get(i)).as(names[i]).hasSameSizeAs(expected.get(i));
        assertThat(largestDifference(actual.get(i), expected.get(i)))
            .as("%s of %s", names[i], kernel).isLessThan(1e-5 * peak(expected.get(i)));
      }
    }
  }

  private static List<float[]> run(ConvolutionKernel kernel, Tensor x0, Tensor w0, Tensor b0, int stride,
      int padding) {
    Tensor x = x0.copy().requiresGrad(true);
    Tensor w = w0.copy().requiresGrad(true);
    Tensor b = b0.copy().requiresGrad(true);
    Tensor y = x.conv1d(w, b, stride, padding, 1, 1, kernel);
    Engine.manualSeed(12);
    y.mul(Tensor.randn(Device.CPU, y.shape())).sum().backward();
    return List.of(y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray());
  }

  private static double largestDifference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  private static double peak(float[] a) {
    double p = 0;
    for (float v : a) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }
}
