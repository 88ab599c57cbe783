package org.jrave.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.RealtimeProcessor;
import org.jrave.streaming.graph.Precision;

/**
 * Per-block time of the real-time forward pass (encode then decode, one block in, one out) with
 * random full-size weights, against the reference's figures (reference/performance.md), plus the
 * Java allocation per block and the resident memory over the run.
 */
public final class StreamingBenchmark {

  /** A configuration, block size and the reference's median per block in ms (NaN when none). */
  public record Case(List<String> presets, int block, double referenceMedianMs) {}

  public static final List<Case> CASES = List.of(
      new Case(List.of("v2"), 2048, 27.4),
      new Case(List.of("v2", "causal"), 2048, 29.5),
      new Case(List.of("v1"), 2048, 19.2),
      new Case(List.of("v2_small", "causal"), 512, Double.NaN),
      new Case(List.of("v2_small", "causal"), 1024, Double.NaN));

  private StreamingBenchmark() {}

  public static void run(Case c, int warmup, int blocks, Precision precision, boolean profile, PrintStream out) {
    String name = String.join("+", c.presets());
    try (RaveModel model = RaveFactory.build(Presets.resolve(c.presets().toArray(String[]::new)));
        RealtimeProcessor p = RealtimeProcessor.forward(model, c.block(), precision)) {
      p.setNoise(NoiseSource.RANDOM);
      float[][] in = new float[model.config().channels()][c.block()];
      float[][] o = new float[model.config().channels()][c.block()];
      java.util.Random random = new java.util.Random(1);
      for (float[] row : in) {
        for (int i = 0; i < row.length; i++) {
          row[i] = (float) (random.nextGaussian() * 0.1);
        }
      }
      for (int i = 0; i < warmup; i++) {
        p.process(in, o);
      }
      p.setProfiling(profile);
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long alloc0 = threads.getCurrentThreadAllocatedBytes();
      long rss0 = residentKb();
      double[] ms = new double[blocks];
      StringBuilder rssSeries = new StringBuilder();
      int perMinute = (int) (60.0 * model.config().sampleRate() / c.block());
      for (int i = 0; i < blocks; i++) {
        long t0 = System.nanoTime();
        p.process(in, o);
        ms[i] = (System.nanoTime() - t0) / 1e6;
        if (blocks >= 2 * perMinute && (i + 1) % perMinute == 0) {
          rssSeries.append(String.format(" %d:%dMB", (i + 1) / perMinute, residentKb() / 1024));
        }
      }
      long alloc = (threads.getCurrentThreadAllocatedBytes() - alloc0) / blocks;
      long rss1 = residentKb();
      Stopwatch s = new Stopwatch(java.util.Arrays.stream(ms).map(v -> v / 1e3).toArray());
      double budget = c.block() * 1000.0 / model.config().sampleRate();
      long over = java.util.Arrays.stream(ms).filter(v -> v > budget).count();
      String ref = Double.isNaN(c.referenceMedianMs()) ? "no reference figure"
          : String.format("ref %.1f ms, ratio %.2f", c.referenceMedianMs(), s.median() * 1e3 / c.referenceMedianMs());
      out.printf("%-16s block %5d: median %6.2f ms (%s)  p90 %6.2f  p99 %6.2f  max %6.2f ms  over %.1f ms budget: %d/%d"
              + "  latency %d samples  Java alloc %d B/block  RSS %+d kB over the run%n",
          name, c.block(), s.median() * 1e3, ref, s.percentile(90) * 1e3, s.percentile(99) * 1e3, s.max() * 1e3,
          budget, over, blocks, p.latency(), alloc, rss1 - rss0);
      if (profile) {
        printProfile(p.profile(), blocks, out);
      }
      if (!rssSeries.isEmpty()) {
        out.println("  resident memory after each minute of audio:" + rssSeries);
      }
    }
  }

  /** Kernels by time per block, slowest first, with the share of the total. */
  private static void printProfile(java.util.Map<String, Long> profile, int blocks, PrintStream out) {
    double total = profile.values().stream().mapToLong(Long::longValue).sum();
    out.printf("  per-kernel time (%d kernels, %.2f ms per block in kernels):%n", profile.size(), total / blocks / 1e6);
    profile.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(Integer.getInteger("jrave.profileRows", 25))
        .forEach(e -> out.printf("    %7.3f ms %5.1f%%  %s%n", e.getValue() / (double) blocks / 1e6,
            100 * e.getValue() / total, e.getKey()));
  }

  static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
