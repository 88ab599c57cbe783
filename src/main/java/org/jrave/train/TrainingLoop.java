package org.jrave.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jrave.data.AudioBatch;
import org.jrave.data.LoaderConfig;
import org.jrave.data.Shard;
import org.jrave.data.TrainingData;
import org.jrave.data.transform.Derivative;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.UnfittedPca;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.io.ModelFile;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;
import org.jrave.train.log.EventWriter;
import org.jrave.train.log.SpectrogramImage;
import org.jrave.train.parallel.DataParallel;

/**
 * Runs training in a run folder: builds the model and discriminator (or restores them from the last
 * checkpoint), feeds the batches, validates every {@code valEvery} steps, keeps checkpoints and the
 * best model, and logs to TensorBoard and the console.
 *
 * <p>Reproducibility: torch's generator is re-seeded from (seed, step) before every step and
 * from the seed before every validation, and the data loader derives every random choice from
 * (seed, epoch, position). So a run resumed from a checkpoint draws exactly what the uninterrupted
 * run would have, and on CPU both reach the same weights when the run is deterministic (the
 * default: oneDNN in its reproducible mode, whose multithreaded backward pass otherwise sums in a
 * varying order).
 *
 * <p>Data-parallel ({@link #withDataParallel}): every rank runs this loop on its slice of each
 * batch, starting from rank 0's weights; the steps join through the trainer's
 * {@link StepReduction}. Only rank 0 validates, prints, logs and writes checkpoints. The draws of a
 * step are made item by item ({@link ItemDraws}), so the run reaches the same weights whatever the
 * number of ranks.
 */
public final class TrainingLoop {

  /** One validation: step and mean full-band distance. */
  public record ValidationPoint(long step, double distance) {}

  /**
   * How long the steps of a call to {@link #run} waited for their batch from the loader (which
   * prepares batches ahead on worker threads): mean and largest wait in milliseconds.
   */
  public record DataWait(long steps, double meanMs, double maxMs) {
    @Override
    public String toString() {
      return String.format("data wait per step: mean %.2f ms, max %.2f ms over %d steps", meanMs, maxMs, steps);
    }
  }

  /** What a call to {@link #run} did. */
  public record Outcome(long finalStep, List<ValidationPoint> validations, DataWait dataWait) {}

  private static final long VALIDATION_SEED_OFFSET = 0x5EEDL << 40;

  private final RunFolder run;
  private final RunSettings settings;
  private final RaveConfig config;
  private final Device device;
  private final PrintStream console;
  private java.time.Duration timeLimit;
  private DataParallel parallel;
  private boolean checkpointActivations;

  public TrainingLoop(RunFolder run, RunSettings settings, RaveConfig config, Device device, PrintStream console) {
    this.run = run;
    this.settings = settings;
    this.config = config;
    this.device = device;
    this.console = console;
  }

  /** Stops after this much training time (then validates and saves as at the last step). */
  public TrainingLoop withTimeLimit(java.time.Duration limit) {
    this.timeLimit = limit;
    return this;
  }

  /** Recomputes residual units' activations in the backward pass (see {@link Trainer#setCheckpointActivations}). */
  public TrainingLoop withCheckpointActivations(boolean on) {
    this.checkpointActivations = on;
    return this;
  }

  /** Trains as one rank of a data-parallel run. */
  public TrainingLoop withDataParallel(DataParallel parallel) {
    this.parallel = parallel;
    return this;
  }

  private boolean leads() {
    return parallel == null || parallel.leads();
  }

  /** The phase-1 length in force: the settings' override or the preset's. */
  public long phase1Duration() {
    return settings.phase1Duration() >= 0 ? settings.phase1Duration() : config.training().phase1Duration();
  }

  public Outcome run(boolean resume) throws IOException {
    LoaderConfig loader = settings.loader();
    Engine.manualSeed(settings.seed());
    Engine.setDeterministic(settings.deterministic());
    try {
      return train(resume, loader);
    } finally {
      // Leave the process as it was for whatever runs next in it (the demo, tests).
      Engine.setDeterministic(false);
    }
  }

  private Outcome train(boolean resume, LoaderConfig loader) throws IOException {
    try (TrainingData data = TrainingData.open(Path.of(settings.db()), config.channels(), loader, shardOf());
        RaveModel model = RaveFactory.build(config);
        Discriminator discriminator = Discriminators.build(config)) {
      model.to(device);
      discriminator.to(device);
      Schedule schedule = Schedule.of(config.training(), phase1Duration());
      StepReduction reduction = parallel == null ? StepReduction.SINGLE : parallel;
      try (Trainer trainer = new Trainer(model, discriminator, schedule, settings.ema(), reduction,
          settings.precision());
          EventWriter events = leads() ? new EventWriter(run.logs()) : null) {
        Progress progress;
        if (resume) {
          // Every rank reads the checkpoint (optimiser moments included); the broadcast below makes
          // sure they all hold rank 0's weights.
          progress = Checkpoint.load(run.lastCheckpoint(), trainer);
          if (parallel != null) {
            parallel.broadcastFromLeader(model, discriminator);
          }
          console.printf("Resuming %s at step %d (phase %d)%n", run.root(), progress.step(),
              schedule.warmedUp(progress.step()) ? 2 : 1);
          console.println(dataLine(data));
        } else {
          ReceptiveField rf;
          if (parallel == null) {
            rf = ReceptiveField.measure(model);
          } else {
            parallel.broadcastFromLeader(model, discriminator);
            ReceptiveField measured = leads() ? ReceptiveField.measure(model) : ReceptiveField.UNKNOWN;
            String[] lr = parallel.fromLeader("receptive_field", measured.left() + "," + measured.right()).split(",");
            rf = new ReceptiveField(Long.parseLong(lr[0]), Long.parseLong(lr[1]));
          }
          trainer.setReceptiveField(rf);
          trainer.setCheckpointActivations(checkpointActivations);
          progress = Progress.start(rf);
          if (leads()) {
            events.text("config", 0, "```\n" + Files.readString(run.configFile()) + "\n```");
          events.text("run", 0, "```\n" + RunFolder.settingsJson(settings) + "\n```");
          events.text("model", 0, String.format("%s: %,d parameters (encoder + decoder), discriminator %,d",
              config.name(), model.parameterCount(), discriminator.parameterCount()));
          }
          console.printf("Training %s (%,d parameters; discriminator %,d) on %s: %d train / %d validation examples, "
                  + "receptive field %d/%d samples; phase 2 from step %d%n",
              config.name(), model.parameterCount(), discriminator.parameterCount(), settings.db(),
              data.split().train().length, data.split().validation().length, rf.left(), rf.right(), phase1Duration());
          console.println(dataLine(data));
        }
        return loop(trainer, data, events, progress);
      }
    }
  }

  private Outcome loop(Trainer trainer, TrainingData data, EventWriter events, Progress start) throws IOException {
    List<ValidationPoint> validations = new ArrayList<>();
    ConsoleProgress bar = new ConsoleProgress(console, start.step(), settings.maxSteps());
    Progress progress = start;
    long lastValidated = -1;
    if (start.step() == 0 && leads()) {
      // The untrained model's score: the first point of the validation curve.
      progress = validate(trainer, data, events, progress, bar, validations);
      lastValidated = 0;
    }
    long deadline = timeLimit == null ? Long.MAX_VALUE : System.nanoTime() + timeLimit.toNanos();
    bar.setDeadline(deadline);
    long waitedSteps = 0;
    double waitSum = 0;
    double waitMax = 0;
    double windowWait = 0;
    int windowSteps = 0;
    while (progress.step() < settings.maxSteps() && !timeIsUp(deadline)) {
      Iterator<AudioBatch> batches = data.train().epoch(progress.epoch(), progress.batchInEpoch());
      if (!batches.hasNext()) {
        if (progress.batchInEpoch() > 0) {
          // A checkpoint written after an epoch's last batch: the run goes on with the next epoch.
          progress = progress.nextEpoch();
          continue;
        }
        throw new IllegalStateException("the training split yields no batch of " + settings.batch());
      }
      while (batches.hasNext() && progress.step() < settings.maxSteps() && !timeIsUp(deadline)) {
        long step = progress.step();
        if (step == phase1Duration()) {
          bar.message(String.format("Phase 2 (adversarial fine-tuning) starts at step %d: encoder frozen, "
              + "discriminator trained every %d batches, feature matching and adversarial losses on, "
              + "generator learning rate %.0e", step, config.training().updateDiscriminatorEvery(),
              trainer.schedule().generatorRate(step)));
        }
        StepReport report;
        // The time this step waits for its batch: zero when the loader's workers keep ahead.
        long waitStart = System.nanoTime();
        AudioBatch batch = batches.next();
        double waitMs = (System.nanoTime() - waitStart) / 1e6;
        waitedSteps++;
        waitSum += waitMs;
        waitMax = Math.max(waitMax, waitMs);
        windowWait += waitMs;
        windowSteps++;
        try (TensorScope scope = new TensorScope()) {
          Engine.manualSeed(mix(settings.seed(), step));
          Tensor x = toTensor(batch);
          long firstItem = shardOf().firstItemOf(settings.batch());
          report = trainer.step(x, step, progress.batchInEpoch(), new ItemDraws(settings.seed(), step, firstItem));
        }
        progress = progress.advance();
        bar.update(report, waitMs);
        if (!leads()) {
          continue;
        }
        if (step % settings.logEvery() == 0) {
          for (Map.Entry<String, Double> e : report.values().entrySet()) {
            events.scalar(e.getKey(), step, e.getValue());
          }
          events.scalar("memory_rss_mb", step, ProcessMemory.rss() / 1e6);
          events.scalar("data_wait_ms", step, windowWait / Math.max(1, windowSteps));
          windowWait = 0;
          windowSteps = 0;
        }
        if (progress.step() % settings.valEvery() == 0) {
          progress = validate(trainer, data, events, progress, bar, validations);
          lastValidated = progress.step();
        }
        if (settings.saveEvery() > 0 && progress.step() % settings.saveEvery() == 0) {
          Checkpoint.save(run.stepCheckpoint(progress.step()), trainer, progress);
        }
      }
      if (!batches.hasNext()) {
        progress = progress.nextEpoch();
      }
    }
    if (lastValidated != progress.step() && leads()) {
      progress = validate(trainer, data, events, progress, bar, validations);
    }
    bar.finish();
    DataWait dataWait = new DataWait(waitedSteps, waitSum / Math.max(1, waitedSteps), waitMax);
    if (waitedSteps > 0) {
      console.println("Loader: " + dataWait);
    }
    if (parallel != null && progress.step() > start.step()) {
      DataParallel.Traffic t = parallel.traffic();
      long steps = progress.step() - start.step();
      console.printf("Data-parallel, %d ranks: %.1f ms and %.2f MB of all-reduce per step (%d calls per step; rank 0)%n",
          parallel.worldSize(), 1e3 * t.seconds() / steps, t.bytes() / 1e6 / steps, t.calls() / steps);
    }
    return new Outcome(progress.step(), validations, dataWait);
  }

  private Progress validate(Trainer trainer, TrainingData data, EventWriter events, Progress progress,
      ConsoleProgress bar, List<ValidationPoint> validations) throws IOException {
    long step = progress.step();
    RaveModel model = trainer.model();
    if (data.split().validation().length == 0) {
      bar.message("No validation data (the database is too small to hold any out): checkpoint only");
      Checkpoint.save(run.lastCheckpoint(), trainer, progress);
      return progress;
    }
    boolean swapped = trainer.ema() != null && !trainer.ema().isEmpty();
    if (swapped) {
      trainer.ema().swap();
    }
    Validation.Result result;
    boolean best;
    try {
      Engine.manualSeed(mix(settings.seed(), VALIDATION_SEED_OFFSET));
      boolean fitPca = !trainer.schedule().warmedUp(step);
      result = Validation.run(model, trainer.distance(),
          data.validation().epoch(0, batch -> toTensor(batch)), fitPca,
          () -> data.wholeTrainingBatches().epoch(0, batch -> toTensor(batch)));
      best = result.distance() < progress.bestValidation();
      if (best) {
        ModelFile.save(model, run.modelFile());
      }
      report(result, model, step, events, bar);
      if (best) {
        progress = progress.withBest(result.distance());
      }
    } finally {
      if (swapped) {
        trainer.ema().swap();
      }
    }
    // After the swap back: a checkpoint holds the trained weights under model. and the averages under ema.
    Checkpoint.save(run.lastCheckpoint(), trainer, progress);
    if (best) {
      Files.copy(run.lastCheckpoint(), run.bestCheckpoint(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    validations.add(new ValidationPoint(step, result.distance()));
    return progress;
  }

  private void report(Validation.Result result, RaveModel model, long step, EventWriter events, ConsoleProgress bar) throws IOException {
    events.scalar("validation", step, result.distance());
    LatentPca pca = result.pca();
    String fidelity = "";
    if (pca != null) {
      for (double p : new double[] {0.8, 0.9, 0.95, 0.99}) {
        events.scalar("fidelity_" + p, step, pca.components(p));
      }
      fidelity = String.format(", latent dims for 95%% fidelity: %d", pca.components(0.95) + 1);
    } else if (result.pcaFrames() > 0) {
      int z = (int) model.latentMean().size(0);
      bar.message(String.format("validation at step %d: latent PCA not fitted, only %d latent frames in the "
          + "validation and training data; %s", step, result.pcaFrames(),
          UnfittedPca.minimum(z, model.ratio(), config.sampleRate())));
    }
    int sr = config.sampleRate();
    // The reference's audio_val: each kept item as [input | reconstruction], all in a row (channel 0).
    int total = 0;
    for (int i = 0; i < result.inputs().size(); i++) {
      total += result.inputs().get(i)[0].length + result.outputs().get(i)[0].length;
    }
    float[] audio = new float[total];
    int at = 0;
    for (int i = 0; i < result.inputs().size(); i++) {
      for (float[] part : List.of(result.inputs().get(i)[0], result.outputs().get(i)[0])) {
        // A model of the first difference is listened to through the reference's integrator.
        if (settings.signal().derivative()) {
          part = Derivative.integrate(part, sr);
        }
        System.arraycopy(part, 0, audio, at, part.length);
        at += part.length;
      }
    }
    events.audio("audio_val", step, audio, 1, sr);
    SpectrogramImage image = SpectrogramImage.of(List.of(
        new SpectrogramImage.Panel("input (validation item 0)", result.inputs().get(0)[0]),
        new SpectrogramImage.Panel("reconstruction at step " + step, result.outputs().get(0)[0])), sr);
    Path png = run.validation().resolve(String.format("step_%08d.png", step));
    image.write(png);
    events.image("spectrogram_val", step, image.png(), image.width(), image.height());
    bar.message(String.format("validation at step %d: distance %.4f%s (%s; process RSS %.0f MB)", step,
        result.distance(), fidelity, run.root().relativize(png), ProcessMemory.rss() / 1e6));
  }

  private Shard shardOf() {
    return parallel == null ? Shard.ALL : parallel.shard();
  }

  /** Whether the time limit has passed; in a data-parallel run, on any rank (they stop together). */
  private boolean timeIsUp(long deadline) {
    boolean up = System.nanoTime() >= deadline;
    return parallel == null ? up : parallel.anyRank(up);
  }

  /** What the loader does to each item, so a resumed run shows it uses the run's own settings. */
  private String dataLine(TrainingData data) {
    LoaderConfig loader = settings.loader();
    StringBuilder b = new StringBuilder();
    if (settings.precision() != org.jrave.engine.Precision.FP32) {
      b.append("Precision: ").append(settings.precision().label())
          .append(" mixed precision (autocast forward passes; float32 weights, optimiser and losses)\n");
    }
    b.append("Data: ").append(data.dataset().channels()).append(" channel(s), ")
        .append(data.dataset().sampleRate()).append(" Hz, crops of ").append(loader.nSignal());
    if (loader.signal().randomPitch()) {
      b.append(", random pitch ").append(loader.signal().pitchLow()).append("..").append(loader.signal().pitchHigh());
    }
    b.append(", augmentations ");
    b.append(String.join(" ", loader.augmentations().stream()
        .map(a -> a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList()));
    if (loader.signal().normalize()) {
      b.append(", peak-normalised");
    }
    if (loader.signal().derivative()) {
      b.append(", first difference (derivative)");
    }
    return b.toString();
  }

  private Tensor toTensor(AudioBatch b) {
    return Tensor.fromFloats(b.samples(), b.batch(), b.channels(), b.length()).to(device);
  }

  /** A well-spread seed for one step (SplitMix64 finaliser). */
  public static long mix(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
