package org.jrave.bench;

import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * The machine's matrix-product peak through libtorch at the current thread count: the best of a
 * 768-channel kernel-3 convolution over 8192 steps and a 4096 x 4096 matrix product, each timed by
 * its fastest run. The floor of a model is its convolution work divided by this peak.
 */
public record MatrixPeak(Precision precision, double convFlopsPerSecond, double gemmFlopsPerSecond) {

  private static final int CHANNELS = 768;
  private static final int STEPS = 8192;
  private static final int GEMM = 4096;

  public double flopsPerSecond() {
    return Math.max(convFlopsPerSecond, gemmFlopsPerSecond);
  }

  public static MatrixPeak measure(Precision precision) {
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.randn(Device.CPU, 1, CHANNELS, STEPS + 2).to(precision);
      Tensor w = Tensor.randn(Device.CPU, CHANNELS, CHANNELS, 3).to(precision);
      double conv = 2.0 * CHANNELS * CHANNELS * 3 * STEPS / fastest(8, () -> x.conv1d(w, null, 1, 1, 1));
      Tensor a = Tensor.randn(Device.CPU, GEMM, GEMM).to(precision);
      Tensor b = Tensor.randn(Device.CPU, GEMM, GEMM).to(precision);
      double gemm = 2.0 * GEMM * GEMM * GEMM / fastest(3, () -> a.matmul(b));
      return new MatrixPeak(precision, conv, gemm);
    }
  }

  private static double fastest(int runs, java.util.function.Supplier<Tensor> op) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i <= runs; i++) { // the first run warms up
      try (TensorScope s = new TensorScope()) {
        long t0 = System.nanoTime();
        op.get();
        double t = (System.nanoTime() - t0) / 1e9;
        if (i > 0) {
          best = Math.min(best, t);
        }
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return String.format("%s peak %.0f GFLOP/s (conv1d 768 ch k3 %.0f, %d matmul %.0f)",
        precision.label(), flopsPerSecond() / 1e9, convFlopsPerSecond / 1e9, GEMM, gemmFlopsPerSecond / 1e9);
  }
}
