package org.jrave.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jrave.data.AudioBatch;
import org.jrave.data.LoaderConfig;
import org.jrave.data.TrainingData;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;

/**
 * Times training steps of a configuration: a phase-1 step, a phase-2 generator step and a phase-2
 * discriminator step (median of the timed runs after a warm-up), with the peak resident memory of
 * each kind of step. The input is noise, or batches from a preprocessed database, read as
 * {@code jrave train} reads them (the loader's workers prepare batches ahead); with a database each
 * figure also gives how long the steps waited for their batch (median and largest).
 */
public final class TrainingBenchmark {

  /**
   * Median seconds and peak resident bytes of one kind of step; median and largest wait for the
   * batch in milliseconds, NaN on noise input.
   */
  public record Figure(String name, double seconds, long peakBytes, double medianWaitMs, double maxWaitMs) {
    public Figure(String name, double seconds, long peakBytes) {
      this(name, seconds, peakBytes, Double.NaN, Double.NaN);
    }
  }

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
    try {
      return run(config, kinds, batch, nSignal, warmup, runs, deterministic, checkpointActivations, besideReference,
          Precision.FP32, null, log);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // no database is read
    }
  }

  /**
   * As {@link #run(RaveConfig, Set, int, int, int, int, boolean, boolean, boolean, PrintStream)}, the
   * forward passes in {@code precision}, on batches of the database {@code db} (2 loader workers, the
   * reference's augmentations) or on noise when it is null.
   */
  public static List<Figure> run(RaveConfig config, Set<StepKind> kinds, int batch, int nSignal, int warmup, int runs,
      boolean deterministic, boolean checkpointActivations, boolean besideReference, Precision precision, Path db,
      PrintStream log) throws IOException {
    Engine.setDeterministic(deterministic);
    Engine.manualSeed(0);
    List<Figure> out = new ArrayList<>();
    LoaderConfig loader = new LoaderConfig(batch, nSignal, LoaderConfig.REFERENCE_DEFAULT, 0, 2);
    try (TrainingData data = db == null ? null : TrainingData.open(db, config.channels(), loader);
        RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, new Schedule(1, config.training().updateDiscriminatorEvery(),
            new BetaSchedule(1e-6, 5e-2, 20_000), Schedule.GENERATOR_RATE, Schedule.DISCRIMINATOR_RATE), 0,
            StepReduction.SINGLE, precision)) {
      log.printf("%s: %,d parameters, discriminator %,d; batch %d x %d samples, %d threads, %s%n", config.name(),
          model.parameterCount(), d.parameterCount(), batch, nSignal, Engine.threads(),
          precision == Precision.FP32 ? "fp32" : precision.label() + " mixed precision");
      log.println(data == null ? "input: noise; data wait: n/a (noise input)"
          : "input: " + db + " (" + data.split().train().length + " training examples, 2 loader workers)");
      trainer.setReceptiveField(ReceptiveField.measure(model));
      trainer.setCheckpointActivations(checkpointActivations);
      Batches batches = data == null ? new Noise(batch, config.channels(), nSignal) : new FromDatabase(data);
      for (StepKind kind : kinds) {
        Figure f = time(kind.label, trainer, batches, kind.step, kind.batchIndex, warmup, runs, log);
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

  /** Where the steps' input comes from. */
  private interface Batches {
    /** The next batch on the CPU; {@code waitNanos[0]} receives the time spent waiting for it. */
    Tensor next(long[] waitNanos);

    boolean measuresWait();
  }

  private record Noise(int batch, int channels, int nSignal) implements Batches {
    @Override
    public Tensor next(long[] waitNanos) {
      waitNanos[0] = 0;
      return Tensor.randn(Device.CPU, batch, channels, nSignal).mul(0.1);
    }

    @Override
    public boolean measuresWait() {
      return false;
    }
  }

  /** The training split's batches, epoch after epoch, as the training loop takes them. */
  private static final class FromDatabase implements Batches {
    private final TrainingData data;
    private Iterator<AudioBatch> epoch;
    private int epochs;

    FromDatabase(TrainingData data) {
      this.data = data;
    }

    @Override
    public Tensor next(long[] waitNanos) {
      if (epoch == null || !epoch.hasNext()) {
        epoch = data.train().epoch(epochs++);
        if (!epoch.hasNext()) {
          throw new IllegalStateException("the training split yields no full batch");
        }
      }
      long t0 = System.nanoTime();
      AudioBatch b = epoch.next();
      waitNanos[0] = System.nanoTime() - t0;
      return Tensor.fromFloats(b.samples(), b.batch(), b.channels(), b.length());
    }

    @Override
    public boolean measuresWait() {
      return true;
    }
  }

  private static Figure time(String name, Trainer trainer, Batches batches, long step, long batchIndex,
      int warmup, int runs, PrintStream log) {
    List<Double> seconds = new ArrayList<>();
    List<Double> waits = new ArrayList<>();
    long[] wait = new long[1];
    ProcessMemory.resetPeak();
    for (int i = 0; i < warmup + runs; i++) {
      try (TensorScope scope = new TensorScope()) {
        Tensor x = batches.next(wait).to(trainer.model().device());
        long t0 = System.nanoTime();
        trainer.step(x, step, batchIndex);
        double s = (System.nanoTime() - t0) / 1e9;
        if (i >= warmup) {
          seconds.add(s);
          waits.add(wait[0] / 1e6);
        }
      }
    }
    Collections.sort(seconds);
    Collections.sort(waits);
    Figure f = batches.measuresWait()
        ? new Figure(name, seconds.get(seconds.size() / 2), ProcessMemory.peak(), waits.get(waits.size() / 2),
            waits.getLast())
        : new Figure(name, seconds.get(seconds.size() / 2), ProcessMemory.peak());
    String waitText = batches.measuresWait()
        ? String.format("   data wait median %.2f ms, max %.2f ms", f.medianWaitMs(), f.maxWaitMs()) : "";
    log.printf("  %-28s %7.2f s   peak RSS %5.2f GB%s%n", f.name(), f.seconds(), f.peakBytes() / 1e9, waitText);
    return f;
  }
}
