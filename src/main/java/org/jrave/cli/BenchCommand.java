package org.jrave.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.jrave.bench.OfflineBenchmark;
import org.jrave.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jrave bench}: speed against the reference's published figures (medians of warm runs). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure offline encode/decode speed of full-size models with random weights, "
        + "as ratios to the reference's figures (below 1.0 is faster).")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--threads", defaultValue = "2", description = "torch intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--runs", defaultValue = "7", description = "timed runs per figure (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", description = "untimed warm-up runs (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--preset", split = ",", description = "only these configurations (v2, v2+causal, v1).")
  List<String> only;

  @Override
  public Integer call() {
    Engine.initialize(threads);
    System.out.printf("offline, 10.03 s of audio at batch 1, %d threads, median of %d runs after %d warm-up%n",
        threads, runs, warmup);
    for (OfflineBenchmark.Case c : OfflineBenchmark.REFERENCE_CASES) {
      String name = String.join("+", c.presets());
      if (only != null && !only.contains(name)) {
        continue;
      }
      try {
        OfflineBenchmark.run(c, warmup, runs, System.out);
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        System.out.printf("%-12s not available: %s%n", name, e.getMessage());
      }
    }
    return 0;
  }
}
