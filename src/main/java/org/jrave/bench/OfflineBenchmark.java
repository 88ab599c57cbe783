package org.jrave.bench;

import java.io.PrintWriter;
import java.util.List;
import org.jrave.engine.ConvolutionCount;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.noise.NoiseSource;

/**
 * Offline encode, decode and encode+decode of 10.03 s of audio (442,368 samples) at batch 1 with
 * random full-size weights: the reference's benchmark (reference/performance.md, 2026-12 figures),
 * and each model's floor: its convolution work divided by the machine's float32 matrix peak.
 */
public final class OfflineBenchmark {

  /** One configuration to measure and the reference's encode, decode, encode+decode seconds. */
  public record Case(List<String> presets, double refEncode, double refDecode, double refBoth) {}

  /** The lower ends of the reference's 2026-12 ranges; encode+decode are the figures to beat. */
  public static final List<Case> REFERENCE_CASES = List.of(
      new Case(List.of("v2"), 0.198, 0.181, 0.297),
      new Case(List.of("v2", "causal"), 0.132, 0.162, 0.296),
      new Case(List.of("v1"), 0.024, 0.198, 0.198));

  public static final int SAMPLES = 442_368;
  private static final double SECONDS = SAMPLES / 44100.0;

  private OfflineBenchmark() {}

  /**
   * @param floorPeak the float32 peak that defines the floor
   * @param precisionPeak the peak of {@code precision} (the same as floorPeak for float32)
   */
  public static void run(Case c, int warmup, int runs, Precision precision, MatrixPeak floorPeak,
      MatrixPeak precisionPeak, PrintWriter out) {
    String name = String.join("+", c.presets());
    try (RaveModel model = RaveFactory.build(Presets.resolve(c.presets().toArray(String[]::new)));
        NoGrad ng = NoGrad.enter()) {
      model.setOfflinePrecision(precision);
      Tensor x = Tensor.randn(Device.CPU, 1, 1, SAMPLES).mul(0.1).retain();
      LatentEncoder enc = model.encoder();
      Tensor z;
      long encodeFlops;
      long decodeFlops;
      try (TensorScope s = new TensorScope(); ConvolutionCount count = ConvolutionCount.open()) {
        z = s.keep(enc.deterministic(model.encodeRaw(x))).retain();
        encodeFlops = count.flops();
        model.decode(z, NoiseSource.RANDOM);
        decodeFlops = count.flops() - encodeFlops;
      }
      Stopwatch encode = Stopwatch.time(warmup, runs, () -> {
        try (TensorScope s = new TensorScope()) {
          enc.deterministic(model.encodeRaw(x)).toFloatArray();
        }
      });
      Stopwatch decode = Stopwatch.time(warmup, runs, () -> {
        try (TensorScope s = new TensorScope()) {
          model.decode(z, NoiseSource.RANDOM).toFloatArray();
        }
      });
      Stopwatch both = Stopwatch.time(warmup, runs, () -> {
        try (TensorScope s = new TensorScope()) {
          model.decode(enc.reparametrize(model.encodeRaw(x)).z(), NoiseSource.RANDOM).toFloatArray();
        }
      });
      double work = encodeFlops + decodeFlops;
      double floor = work / floorPeak.flopsPerSecond();
      out.printf("%-12s %s  encode %.3f s (ref %.3f, ratio %.2f)  decode %.3f s (ref %.3f, ratio %.2f)  "
              + "encode+decode %.3f s (ref %.3f, ratio %.2f)  %.0fx real time%n",
          name, precision.label(), encode.median(), c.refEncode(), encode.median() / c.refEncode(),
          decode.median(), c.refDecode(), decode.median() / c.refDecode(),
          both.median(), c.refBoth(), both.median() / c.refBoth(), SECONDS / both.median());
      out.printf("%-12s      conv work %.2f + %.2f GFLOP per s of audio; fp32 floor %.3f s: encode+decode at %.2fx it%s%n",
          "", encodeFlops / SECONDS / 1e9, decodeFlops / SECONDS / 1e9, floor, both.median() / floor,
          precisionPeak == floorPeak ? ""
              : String.format(" (%s floor %.3f s: %.2fx)", precision.label(), work / precisionPeak.flopsPerSecond(),
                  both.median() / (work / precisionPeak.flopsPerSecond())));
      out.flush();
      x.close();
      z.close();
    }
  }
}
