package org.jrave.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jrave.engine.InferenceMode;
import org.jrave.engine.Precision;
import org.jrave.interop.TorchScriptModel;
import org.jrave.interop.TorchScriptProcessors;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.BlockProcessor;
import org.jrave.streaming.RealtimeProcessor;

/**
 * Per-block time of the real-time forward pass (encode then decode, one block in, one out) against
 * the reference's figures (reference/performance.md), plus the Java allocation per block and the
 * resident memory over the run. Two engines: jrave's native one on a full-size model with random
 * weights, and an nn~ TorchScript file's {@code forward} through libtorch's JIT, called as nn~
 * calls it (one {@code [1, channels, block]} tensor per call, in inference mode).
 */
public final class StreamingBenchmark {

  /**
   * The reference's median per block in ms: its eager Python engine, and its streaming TorchScript
   * export in the TorchScript runtime (what nn~ users get); NaN when it has no figure.
   */
  public record Reference(double eagerMs, double scriptMs) {
    public static final Reference NONE = new Reference(Double.NaN, Double.NaN);

    String describe(double medianMs) {
      if (Double.isNaN(eagerMs) && Double.isNaN(scriptMs)) {
        return "no reference figure";
      }
      String eager = Double.isNaN(eagerMs) ? "-" : String.format(Locale.ROOT, "%.1f", eagerMs);
      String script = Double.isNaN(scriptMs) ? "-" : String.format(Locale.ROOT, "%.1f", scriptMs);
      String ratio = Double.isNaN(scriptMs) ? String.format(Locale.ROOT, "ratio to eager %.2f", medianMs / eagerMs)
          : String.format(Locale.ROOT, "ratio to ts %.2f", medianMs / scriptMs);
      return "ref eager " + eager + " / ts " + script + " ms, " + ratio;
    }
  }

  /** A configuration, block size and the reference's figures at that block size. */
  public record Case(List<String> presets, int block, Reference reference) {
    public String name() {
      return String.join("+", presets);
    }
  }

  /** The 2026-12 figures of reference/performance.md (2048-sample blocks, 2 threads). */
  public static final List<Case> CASES = List.of(
      new Case(List.of("v2"), 2048, new Reference(25.6, 20.0)),
      new Case(List.of("v2", "causal"), 2048, new Reference(25.3, 19.6)),
      new Case(List.of("v1"), 2048, new Reference(21.4, Double.NaN)),
      new Case(List.of("v2_small", "causal"), 512, Reference.NONE),
      new Case(List.of("v2_small", "causal"), 1024, Reference.NONE));

  private StreamingBenchmark() {}

  /** The native engine on the case's configuration with random weights; returns what it measured. */
  public static BlockTimer.Result runNative(Case c, int warmup, int blocks, PrintWriter out) {
    return runNative(c, warmup, blocks, Precision.FP32, false, out);
  }

  /**
   * As {@link #runNative(Case, int, int, PrintWriter)} with weights in {@code precision}; with
   * {@code profile}, also the time of every kernel of the block engine (warm-up blocks included).
   */
  public static BlockTimer.Result runNative(Case c, int warmup, int blocks, Precision precision, boolean profile,
      PrintWriter out) {
    try (RaveModel model = RaveFactory.build(Presets.resolve(c.presets().toArray(String[]::new)));
        RealtimeProcessor p = RealtimeProcessor.forward(model, c.block(), precision)) {
      p.setNoise(NoiseSource.RANDOM);
      p.setProfiling(profile);
      BlockTimer.Result r = BlockTimer.measure(p, warmup, blocks);
      String name = precision == Precision.BF16 ? c.name() + " bf16" : c.name();
      print(name, p, r, c.reference(), out);
      if (profile) {
        printProfile(p.profile(), warmup + blocks, out);
      }
      return r;
    }
  }

  /** Kernels by time per block, slowest first, with their share of the total. */
  private static void printProfile(java.util.Map<String, Long> profile, int blocks, PrintWriter out) {
    double total = profile.values().stream().mapToLong(Long::longValue).sum();
    out.printf("  per-kernel time (%d kernels, %.2f ms per block in kernels):%n", profile.size(), total / blocks / 1e6);
    profile.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(Integer.getInteger("jrave.profileRows", 25))
        .forEach(e -> out.printf("    %7.3f ms %5.1f%%  %s%n", e.getValue() / (double) blocks / 1e6,
            100 * e.getValue() / total, e.getKey()));
    out.flush();
  }

  /**
   * A TorchScript file's {@code forward}, block after block; {@code reference} is the configuration
   * the file is compared with ({@link Reference#NONE} for none).
   *
   * @throws IOException when the file is not a usable nn~ model
   * @throws IllegalArgumentException when it has no forward, or the block does not suit it
   */
  public static BlockTimer.Result runScript(Path file, int block, Reference reference, int warmup, int blocks,
      PrintWriter out) throws IOException {
    try (TorchScriptModel model = TorchScriptModel.open(file, TorchScriptModel.DEFAULT_SAMPLE_RATE);
        BlockProcessor p = new TorchScriptProcessors(model).forward(block);
        InferenceMode im = InferenceMode.enter()) {
      BlockTimer.Result r = BlockTimer.measure(p, warmup, blocks);
      print(String.valueOf(file.getFileName()), p, r, reference, out);
      return r;
    }
  }

  private static void print(String name, BlockProcessor p, BlockTimer.Result r, Reference reference, PrintWriter out) {
    Stopwatch s = r.times();
    out.printf("%-16s block %5d: median %6.2f ms (%s)  p90 %6.2f  p99 %6.2f  max %6.2f ms  over %.1f ms budget: %d/%d"
            + "  latency %d samples  Java alloc %d B/block  RSS %+d kB over the run%n",
        name, p.blockSize(), r.medianMillis(), reference.describe(r.medianMillis()), s.percentile(90) * 1e3,
        s.percentile(99) * 1e3, s.max() * 1e3, r.budgetMillis(), r.overBudget(), r.blocks(), p.latency(),
        r.allocPerBlock(), r.residentDeltaKb());
    if (!r.residentSeries().isEmpty()) {
      out.println("  resident memory after each minute of audio:" + r.residentSeries());
    }
    out.flush();
  }
}
