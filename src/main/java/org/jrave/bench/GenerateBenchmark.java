package org.jrave.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jrave.engine.Engine;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.play.BatchGeneration;
import org.jrave.play.GenerationPlan;
import org.jrave.play.Generator;
import org.jrave.play.LatentShaper;

/**
 * Throughput of {@code jrave generate} (decode, resample, model, resample back, write) on folders
 * of audio with a full-size model of random weights, offline and streaming:
 * {@code java -cp target/jrave.jar org.jrave.bench.GenerateBenchmark [--preset v2] [--threads 2] [--block 2048] DIR...}.
 */
public final class GenerateBenchmark {
  private GenerateBenchmark() {}

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    List<String> presets = new ArrayList<>();
    int threads = 2;
    int block = 2048;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--preset" -> presets.add(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--block" -> block = Integer.parseInt(args[++i]);
        default -> inputs.add(Path.of(args[i]));
      }
    }
    if (presets.isEmpty()) {
      presets.add("v2");
    }
    Engine.initialize(threads);
    Engine.manualSeed(1);
    Path out = Files.createTempDirectory("jrave-generate-bench");
    try (RaveModel model = RaveFactory.build(Presets.resolve(presets.toArray(String[]::new)))) {
      model.eval();
      for (Integer b : new Integer[] {null, block}) {
        Path dir = out.resolve(b == null ? "offline" : "stream");
        GenerationPlan plan = GenerationPlan.of(inputs, dir);
        BatchGeneration run = new BatchGeneration(new Generator(model, LatentShaper.identity(model), false, b),
            model.config().sampleRate(), false);
        long cpu0 = cpuNanos();
        BatchGeneration.Report r = run.run(plan, new BatchGeneration.Listener() {
          @Override
          public void started(int files, double seconds) {}

          @Override
          public void fileDone(GenerationPlan.Item item, double seconds, String failure) {}
        });
        double cpu = (cpuNanos() - cpu0) / 1e9;
        // CPU seconds tell the speed on free cores when the machine is shared with other work.
        System.out.printf(Locale.ROOT, "%s %s, %d threads: %d files (%d failed), %.1f s of audio in %.1f s = %.1fx real time"
                + " (%.1f CPU-s: %.1f s of audio per CPU-second)%n",
            String.join("+", presets), b == null ? "offline" : "streaming " + b, threads, r.outcomes().size(), r.failures(),
            r.audioSeconds(), r.wallSeconds(), r.realTimeFactor(), cpu, r.audioSeconds() / cpu);
      }
    }
  }
}
