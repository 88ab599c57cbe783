package org.jrave.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bfloat16 convolutions stay within bfloat16 rounding of float32 on the narrow geometries where
 * oneDNN's AMX kernels return wrong values (see OneDnnNarrowBfloat16), with bfloat16 tensors and
 * under mixed precision, and on wide ones. On a CPU without AMX the same assertions hold trivially.
 */
class NarrowBfloat16ConvolutionTest {

  @ParameterizedTest
  @CsvSource({"16, 8, 4", "8, 8, 1", "24, 12, 8", "4, 16, 1", "16, 3, 1", "32, 8, 4", "96, 8, 4"})
  void bfloat16ConvolutionStaysWithinRoundingOfFloat32(int in, int kernel, int stride) {
    Engine.initialize(2);
    Engine.manualSeed(7);
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      Tensor x = Tensor.randn(Device.CPU, 2, in, 300);
      Tensor w = Tensor.randn(Device.CPU, 32, in, kernel).mul(0.2);
      Tensor reference = x.conv1d(w, null, stride, 0, 1, 1);
      Tensor bf16 = x.to(Precision.BF16).conv1d(w.to(Precision.BF16), null, stride, 0, 1, 1);
      assertThat(bf16.isBFloat16()).isTrue();
      Tensor autocast;
      try (Autocast a = Autocast.enter(Device.CPU, Precision.BF16)) {
        autocast = x.conv1d(w, null, stride, 0, 1, 1);
      }
      double peak = reference.abs().max().item();
      assertThat(bf16.to(Precision.FP32).sub(reference).abs().max().item() / peak).as("bfloat16 tensors")
          .isLessThan(0.02);
      assertThat(autocast.to(Precision.FP32).sub(reference).abs().max().item() / peak).as("mixed precision")
          .isLessThan(0.02);
    }
  }
}
