package org.jrave.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jrave.bench.BlockTimer;
import org.jrave.bench.MatrixPeak;
import org.jrave.bench.OfflineBenchmark;
import org.jrave.bench.StreamingBenchmark;
import org.jrave.engine.Engine;
import org.jrave.engine.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrave bench}: speed against the reference's published figures (medians of warm runs). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure the encode/decode speed of full-size models against the reference's figures.",
      "Offline by default, with random weights: ratios to the reference's figures (below 1.0 is faster) and to "
        + "the machine's floor (convolution work over the measured float32 matrix peak).",
        "With --streaming: time per block of the real-time engine; with --ts: of nn~ TorchScript files' forward "
            + "as nn~ calls it (with --preset too, both are measured in one run)."})
public final class BenchCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--threads", defaultValue = "2", description = "torch intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--runs", defaultValue = "7", description = "timed runs per figure (default ${DEFAULT-VALUE}).")
  int runs;

  @ZeroAllowed
  @Option(names = "--warmup", defaultValue = "2", description = "untimed warm-up runs (default ${DEFAULT-VALUE}; "
      + "at least 20 blocks when streaming).")
  int warmup;

  @Option(names = "--preset", split = ",", description = "only these configurations (v2, v2+causal, v1, v2_small+causal).")
  List<String> only;

  @Option(names = "--streaming", description = "measure the real-time engine per block instead of offline")
  boolean streaming;

  @Option(names = "--profile", description = "with --streaming: print the time of every kernel of the block engine.")
  boolean profile;

  @Mixin PrecisionOption precision;

  @Option(names = "--ts", paramLabel = "FILE.ts", description = "time this TorchScript file's forward per block, as nn~ "
      + "runs it (repeatable; implies --streaming; without --preset only the files are measured)")
  List<Path> scripts;

  @Option(names = "--block", paramLabel = "N", description = "samples per streaming block (default: 2048 for --ts; "
      + "each configuration's own sizes for the native engine)")
  Integer block;

  @Option(names = "--blocks", defaultValue = "1000", description = "timed blocks per streaming figure (default ${DEFAULT-VALUE}).")
  int blocks;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (blocks < 1 || runs < 1 || warmup < 0) {
      throw new UserError("--blocks and --runs must be at least 1 and --warmup at least 0");
    }
    if (block != null && block < 1) {
      throw new UserError("--block " + block + ": give a positive number of samples");
    }
    Engine.initialize(threads);
    if (streaming || scripts != null) {
      return streaming(out);
    }
    Precision p = precision.get();
    out.printf("offline, 10.03 s of audio at batch 1, %d threads, median of %d runs after %d warm-up%n",
        threads, runs, warmup);
    MatrixPeak floorPeak = MatrixPeak.measure(Precision.FP32);
    MatrixPeak precisionPeak = p == Precision.FP32 ? floorPeak : MatrixPeak.measure(p);
    out.println(floorPeak + (precisionPeak == floorPeak ? "" : "; " + precisionPeak));
    for (OfflineBenchmark.Case c : OfflineBenchmark.REFERENCE_CASES) {
      String name = String.join("+", c.presets());
      if (only != null && !only.contains(name)) {
        continue;
      }
      try {
        OfflineBenchmark.run(c, warmup, runs, p, floorPeak, precisionPeak, out);
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        out.printf("%-12s not available: %s%n", name, e.getMessage());
      }
    }
    out.flush();
    return 0;
  }

  private int streaming(PrintWriter out) {
    int warm = Math.max(warmup, 20);
    List<StreamingBenchmark.Case> cases = nativeCases();
    out.printf("streaming forward (encode+decode per block), %d threads, %d blocks after %d warm-up%n",
        threads, blocks, warm);
    List<BlockTimer.Result> nativeResults = new ArrayList<>();
    for (StreamingBenchmark.Case c : cases) {
      try {
        nativeResults.add(StreamingBenchmark.runNative(c, warm, blocks, precision.get(), profile, out));
      } catch (IllegalArgumentException e) {
        throw new UserError(c.name() + " at --block " + c.block() + ": " + e.getMessage(), e);
      }
    }
    if (scripts == null) {
      return 0;
    }
    out.println("TorchScript forward through libtorch's JIT, one [1, channels, block] tensor per call, inference mode:");
    for (int i = 0; i < scripts.size(); i++) {
      Path file = scripts.get(i);
      // Files pair with the configurations in order (or all with the only one) to be compared with.
      int pair = cases.size() == scripts.size() ? i : cases.size() == 1 ? 0 : -1;
      StreamingBenchmark.Case c = pair < 0 ? null : cases.get(pair);
      BlockTimer.Result r = runScript(file, c, warm, out);
      if (c != null) {
        out.printf("  native %s / %s: median ratio %.2f%n", c.name(), file.getFileName(),
            nativeResults.get(pair).medianMillis() / r.medianMillis());
        out.flush();
      }
    }
    return 0;
  }

  private BlockTimer.Result runScript(Path file, StreamingBenchmark.Case pairedWith, int warm, PrintWriter out) {
    int size = block != null ? block : pairedWith != null ? pairedWith.block() : 2048;
    StreamingBenchmark.Reference ref = pairedWith != null && pairedWith.block() == size
        ? pairedWith.reference() : StreamingBenchmark.Reference.NONE;
    try {
      return StreamingBenchmark.runScript(file, size, ref, warm, blocks, out);
    } catch (IOException e) {
      throw new UserError("--ts " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new UserError("--ts " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The native configurations to measure: the --preset ones (all when neither --preset nor --ts is
   * given), at --block when given (one figure per configuration then).
   */
  private List<StreamingBenchmark.Case> nativeCases() {
    List<StreamingBenchmark.Case> cases = new ArrayList<>();
    if (only == null && scripts != null) {
      return cases;
    }
    if (only != null) {
      List<String> known = StreamingBenchmark.CASES.stream().map(StreamingBenchmark.Case::name).distinct().toList();
      for (String name : only) {
        if (!known.contains(name)) {
          throw new UserError("--preset " + name + ": streaming configurations are " + known);
        }
      }
    }
    List<String> names = only != null ? only
        : StreamingBenchmark.CASES.stream().map(StreamingBenchmark.Case::name).distinct().toList();
    for (String name : names) {
      List<StreamingBenchmark.Case> matching =
          StreamingBenchmark.CASES.stream().filter(c -> c.name().equals(name)).toList();
      if (block == null) {
        cases.addAll(matching);
        continue;
      }
      StreamingBenchmark.Case c = matching.get(0);
      StreamingBenchmark.Reference ref = matching.stream().filter(m -> m.block() == block)
          .map(StreamingBenchmark.Case::reference).findFirst().orElse(StreamingBenchmark.Reference.NONE);
      cases.add(new StreamingBenchmark.Case(c.presets(), block, ref));
    }
    return cases;
  }
}
