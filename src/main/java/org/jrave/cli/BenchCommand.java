package org.jrave.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.jrave.bench.MatrixPeak;
import org.jrave.bench.OfflineBenchmark;
import org.jrave.bench.StreamingBenchmark;
import org.jrave.engine.Engine;
import org.jrave.engine.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrave bench}: speed against the reference's published figures (medians of warm runs). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure offline encode/decode speed of full-size models with random weights, "
        + "as ratios to the reference's figures (below 1.0 is faster) and to the machine's floor "
        + "(convolution work over the measured float32 matrix peak).")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--threads", defaultValue = "2", description = "torch intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--runs", defaultValue = "7", description = "timed runs per figure (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", description = "untimed warm-up runs (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--preset", split = ",", description = "only these configurations (v2, v2+causal, v1, v2_small+causal).")
  List<String> only;

  @Option(names = "--streaming", description = "measure the real-time engine per block instead of offline")
  boolean streaming;

  @Mixin PrecisionOption precision;

  @Option(names = "--blocks", defaultValue = "1000", description = "timed blocks per streaming figure (default ${DEFAULT-VALUE}).")
  int blocks;

  @Override
  public Integer call() {
    Engine.initialize(threads);
    if (streaming) {
      if (precision.get() != Precision.FP32) {
        throw new UserError("--precision " + precision.value + " applies offline only: leave out --streaming");
      }
      System.out.printf("streaming forward (encode+decode per block), %d threads, %d blocks after %d warm-up%n",
          threads, blocks, Math.max(warmup, 20));
      for (StreamingBenchmark.Case c : StreamingBenchmark.CASES) {
        String name = String.join("+", c.presets());
        if (only == null || only.contains(name)) {
          StreamingBenchmark.run(c, Math.max(warmup, 20), blocks, System.out);
        }
      }
      return 0;
    }
    Precision p = precision.get();
    System.out.printf("offline, 10.03 s of audio at batch 1, %d threads, median of %d runs after %d warm-up%n",
        threads, runs, warmup);
    MatrixPeak floorPeak = MatrixPeak.measure(Precision.FP32);
    MatrixPeak precisionPeak = p == Precision.FP32 ? floorPeak : MatrixPeak.measure(p);
    System.out.println(floorPeak + (precisionPeak == floorPeak ? "" : "; " + precisionPeak));
    for (OfflineBenchmark.Case c : OfflineBenchmark.REFERENCE_CASES) {
      String name = String.join("+", c.presets());
      if (only != null && !only.contains(name)) {
        continue;
      }
      try {
        OfflineBenchmark.run(c, warmup, runs, p, floorPeak, precisionPeak, System.out);
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        System.out.printf("%-12s not available: %s%n", name, e.getMessage());
      }
    }
    return 0;
  }
}
