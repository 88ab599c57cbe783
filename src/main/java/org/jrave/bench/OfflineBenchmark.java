package org.jrave.bench;

import java.io.PrintWriter;
import java.util.List;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.noise.NoiseSource;

/**
 * Offline encode, decode and encode+decode of 10.03 s of audio (442,368 samples) at batch 1 with
 * random full-size weights: the reference's published benchmark (reference/performance.md).
 */
public final class OfflineBenchmark {

  /** One configuration to measure and the reference's encode+decode, encode, decode seconds. */
  public record Case(List<String> presets, double refEncode, double refDecode, double refBoth) {}

  public static final List<Case> REFERENCE_CASES = List.of(
      new Case(List.of("v2"), 0.211, 0.267, 0.471),
      new Case(List.of("v2", "causal"), 0.234, 0.246, 0.480),
      new Case(List.of("v1"), 0.037, 0.288, 0.305));

  public static final int SAMPLES = 442_368;

  private OfflineBenchmark() {}

  public static void run(Case c, int warmup, int runs, PrintWriter out) {
    String name = String.join("+", c.presets());
    try (RaveModel model = RaveFactory.build(Presets.resolve(c.presets().toArray(String[]::new)));
        NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.randn(org.jrave.engine.Device.CPU, 1, 1, SAMPLES).mul(0.1).retain();
      Tensor z;
      try (TensorScope s = new TensorScope()) {
        z = s.keep(model.encoder().deterministic(model.encodeRaw(x))).retain();
      }
      LatentEncoder enc = model.encoder();
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
      out.printf("%-12s encode %.3f s (ref %.3f, ratio %.2f)  decode %.3f s (ref %.3f, ratio %.2f)  "
              + "encode+decode %.3f s (ref %.3f, ratio %.2f)  %.0fx real time%n",
          name, encode.median(), c.refEncode(), encode.median() / c.refEncode(),
          decode.median(), c.refDecode(), decode.median() / c.refDecode(),
          both.median(), c.refBoth(), both.median() / c.refBoth(), SAMPLES / 44100.0 / both.median());
      out.flush();
      x.close();
      z.close();
    }
  }
}
