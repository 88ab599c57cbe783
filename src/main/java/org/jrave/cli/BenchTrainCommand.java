package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jrave.engine.Engine;
import org.jrave.engine.Precision;
import org.jrave.model.config.ConfigBuilder;
import org.jrave.model.config.Presets;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.KernelBenchmark;
import org.jrave.train.Preflight;
import org.jrave.train.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jrave bench-train}: training-step time and peak memory, against the reference's figures. */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
    description = {"Time one training step of each phase, with peak memory, against the reference.",
      "The input is noise, or with --db batches of a database (then with the time each step waited for its batch).",
      "Phase 2 is timed for the generator and the discriminator. Reference (v2, batch 8 x 131072, 2 threads): "
          + "phase 1 5.56 s / 3.8 GB,",
      "phase 2 generator 72.7 s / 10.0 GB, discriminator 34.2 s / 10.0 GB."})
public final class BenchTrainCommand implements Callable<Integer> {

  @Option(names = "--preset", description = "presets in order (default v2)")
  List<String> presets = new ArrayList<>();

  @Option(names = "--override", paramLabel = "KEY=VALUE", description = "configuration overrides")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--batch", defaultValue = "8", description = "batch size (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--n-signal", defaultValue = "131072", description = "samples per item (default ${DEFAULT-VALUE})")
  int nSignal;

  @Option(names = "--threads", defaultValue = "2", description = "torch threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--runs", defaultValue = "2", description = "timed steps per figure (default ${DEFAULT-VALUE})")
  int runs;

  @ZeroAllowed
  @Option(names = "--warmup", defaultValue = "1", description = "untimed steps per figure (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", split = ",", paramLabel = "KIND",
      description = "kinds of step to time: phase1, generator, discriminator (default all)")
  List<String> steps = new ArrayList<>();

  @Option(names = "--kernels",
      description = "instead of steps, time every convolution of the step with each kernel (forward, backward)")
  boolean kernels;

  @Option(names = "--checkpoint-activations",
      description = "recompute residual units' activations in the backward pass (less memory, more time)")
  boolean checkpointActivations;

  @Option(names = "--deterministic", negatable = true, defaultValue = "true",
      description = "reproducible kernels, as jrave train uses (default ${DEFAULT-VALUE})")
  boolean deterministic;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "number format of training: fp32 (default) or bf16 mixed precision, as jrave train --precision")
  String precision;

  @Option(names = "--db", paramLabel = "DB", description = "time the steps on batches of this database (from jrave "
      + "preprocess), read as jrave train reads them, and report how long each step waited for its batch "
      + "(default: noise input)")
  Path db;

  @Override
  public Integer call() throws IOException {
    Precision p = PrecisionOption.parse(precision);
    Engine.initialize(threads);
    ConfigBuilder b;
    try {
      b = Presets.builder(presets.isEmpty() ? List.of("v2") : presets);
      for (String o : overrides) {
        int eq = o.indexOf('=');
        if (eq <= 0) {
          throw new UserError("--override " + o + " is not KEY=VALUE");
        }
        b.override(o.substring(0, eq).trim(), o.substring(eq + 1));
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (kernels) {
      KernelBenchmark.run(b.build(), batch, nSignal, System.out);
      return 0;
    }
    boolean referenceConditions = (presets.isEmpty() || presets.equals(List.of("v2"))) && overrides.isEmpty()
        && batch == 8 && nSignal == 131072 && threads == 2;
    RaveConfig config = b.build();
    if (db != null) {
      try {
        Preflight.check(db, config, batch, nSignal);
      } catch (Preflight.Problem e) {
        throw new UserError(e.getMessage(), e);
      }
    }
    TrainingBenchmark.run(config, stepKinds(), batch, nSignal, warmup, runs, deterministic, checkpointActivations,
        referenceConditions, p, db, System.out);
    return 0;
  }

  private Set<TrainingBenchmark.StepKind> stepKinds() {
    if (steps.isEmpty()) {
      return EnumSet.allOf(TrainingBenchmark.StepKind.class);
    }
    Set<TrainingBenchmark.StepKind> kinds = EnumSet.noneOf(TrainingBenchmark.StepKind.class);
    for (String s : steps) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "phase1" -> kinds.add(TrainingBenchmark.StepKind.PHASE1);
        case "generator" -> kinds.add(TrainingBenchmark.StepKind.GENERATOR);
        case "discriminator" -> kinds.add(TrainingBenchmark.StepKind.DISCRIMINATOR);
        default -> throw new UserError("--steps: unknown kind '" + s + "' (use phase1, generator, discriminator)");
      }
    }
    return kinds;
  }
}
