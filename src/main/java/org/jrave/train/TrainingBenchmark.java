package org.jrave.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;

/**
 * Times training steps of a configuration on noise: a phase-1 step, a phase-2 generator step and a
 * phase-2 discriminator step (median of the timed runs after a warm-up), with the peak resident
 * memory of each kind of step.
 */
public final class TrainingBenchmark {

  /** Median seconds and peak resident bytes of one kind of step. */
  public record Figure(String name, double seconds, long peakBytes) {}

  /**
   * The kinds of training step that can be timed, with the reference's figures for full-size v2 at
   * batch 8 x 131072 on 2 threads (shared/reference/performance.md, 2026-12: the median time and
   * the peak resident memory of the reference's computation of the same step).
   */
  public enum StepKind {
    PHASE1("phase 1 step", 0, 1, 5.56, 3.8),
    GENERATOR("phase 2 generator step", 1, 1, 72.7, 10.0),
    DISCRIMINATOR("phase 2 discriminator step", 1, 0, 34.2, 10.0);

    final String label;
    final long step;
    final long batchIndex;
    final double referenceSeconds;
    final double referenceGigabytes;

    // Step 0 is phase 1; from step 1 on phase 2, where batch index 0 updates the discriminator.
    StepKind(String label, long step, long batchIndex, double referenceSeconds, double referenceGigabytes) {
      this.label = label;
      this.step = step;
      this.batchIndex = batchIndex;
      this.referenceSeconds = referenceSeconds;
      this.referenceGigabytes = referenceGigabytes;
    }
  }

  private TrainingBenchmark() {}

  /** With {@code deterministic}, oneDNN runs in its reproducible mode, as {@code jrave train} does by default. */
  public static List<Figure> run(RaveConfig config, int batch, int nSignal, int warmup, int runs, boolean deterministic,
      PrintStream log) {
    return run(config, EnumSet.allOf(StepKind.class), batch, nSignal, warmup, runs, deterministic, false, false, log);
  }

  /**
   * Times the given kinds of step only; with {@code besideReference} (the reference's conditions:
   * plain v2, batch 8 x 131072, 2 threads) each figure is printed beside the reference's.
   */
  public static List<Figure> run(RaveConfig config, Set<StepKind> kinds, int batch, int nSignal, int warmup, int runs,
      boolean deterministic, boolean checkpointActivations, boolean besideReference, PrintStream log) {
    Engine.setDeterministic(deterministic);
    Engine.manualSeed(0);
    List<Figure> out = new ArrayList<>();
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, new Schedule(1, config.training().updateDiscriminatorEvery(),
            new BetaSchedule(1e-6, 5e-2, 20_000), Schedule.GENERATOR_RATE, Schedule.DISCRIMINATOR_RATE), 0)) {
      log.printf("%s: %,d parameters, discriminator %,d; batch %d x %d samples, %d threads%n", config.name(),
          model.parameterCount(), d.parameterCount(), batch, nSignal, Engine.threads());
      trainer.setReceptiveField(ReceptiveField.measure(model));
      trainer.setCheckpointActivations(checkpointActivations);
      for (StepKind kind : kinds) {
        Figure f = time(kind.label, trainer, batch, nSignal, kind.step, kind.batchIndex, warmup, runs, log);
        out.add(f);
        if (besideReference) {
          log.printf("  %-28s %7.2f s   peak RSS %5.2f GB   (time %.2fx, memory %.2fx)%n", "  reference",
              kind.referenceSeconds, kind.referenceGigabytes, f.seconds() / kind.referenceSeconds,
              f.peakBytes() / 1e9 / kind.referenceGigabytes);
        }
      }
      if (!besideReference) {
        log.println("  (the reference's figures are for v2 at batch 8 x 131072 on 2 threads)");
      }
    }
    return out;
  }

  private static Figure time(String name, Trainer trainer, int batch, int nSignal, long step, long batchIndex,
      int warmup, int runs, PrintStream log) {
    List<Double> seconds = new ArrayList<>();
    ProcessMemory.resetPeak();
    for (int i = 0; i < warmup + runs; i++) {
      try (TensorScope scope = new TensorScope()) {
        Tensor x = Tensor.randn(Device.CPU, batch, trainer.model().config().channels(), nSignal).mul(0.1)
            .to(trainer.model().device());
        long t0 = System.nanoTime();
        trainer.step(x, step, batchIndex);
        double s = (System.nanoTime() - t0) / 1e9;
        if (i >= warmup) {
          seconds.add(s);
        }
      }
    }
    Collections.sort(seconds);
    Figure f = new Figure(name, seconds.get(seconds.size() / 2), ProcessMemory.peak());
    log.printf("  %-28s %7.2f s   peak RSS %5.2f GB%n", f.name(), f.seconds(), f.peakBytes() / 1e9);
    return f;
  }
}
