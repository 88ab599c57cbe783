package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jrave.data.LoaderConfig;
import org.jrave.data.transform.Augmentation;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.ProcessGroup;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.Preflight;
import org.jrave.train.RunFolder;
import org.jrave.train.RunSettings;
import org.jrave.train.TrainingLoop;
import org.jrave.train.parallel.DataParallel;
import org.jrave.train.parallel.LocalWorkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jrave train}: trains a RAVE model with the reference's two-phase recipe into a run folder
 * ({@link RunFolder}), or continues one with {@code --resume}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a RAVE model on a database made by 'jrave preprocess'.",
      "Phase 1 learns the representation, phase 2 (encoder frozen) adds the adversarial losses.",
      "Writes checkpoints, the best model (model.safetensors), TensorBoard logs and validation spectrograms",
      "into OUTPUT/NAME. Continue a run with --resume OUTPUT/NAME."})
public final class TrainCommand implements Callable<Integer> {

  static final long DEFAULT_MAX_STEPS = 6_000_000;

  /** What may change when a run is continued; everything else is the run's own (run.json). */
  private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--max-steps", "--max-minutes", "--threads", "--device",
      "--nproc", "--world-size", "--rank", "--master", "--join-timeout");

  @Spec CommandSpec spec;

  @Option(names = "--db", paramLabel = "DB", description = "dataset database (from jrave preprocess)")
  Path db;

  @Option(names = {"--output", "--out"}, defaultValue = "runs", paramLabel = "DIR", description = "runs folder (default ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", description = "run name: the run folder is OUTPUT/NAME")
  String name;

  @Option(names = {"--config", "--preset"}, paramLabel = "NAME|FILE.gin", description = "preset, then modifiers in "
      + "order (default v2), e.g. --config v2 --config causal; or your own gin file, whose includes of the "
      + "reference's configurations (v2.gin, causal.gin, ...) are jrave's presets of the same name")
  List<String> presets = new ArrayList<>();

  @Option(names = "--override", paramLabel = "KEY=VALUE", description = "configuration override: jrave's keys "
      + "(capacity=32; capacity, latent_size, ratios, n_band, phase_1_duration, discriminator, weights.NAME, ...), "
      + "the reference's gin macros (CAPACITY=32, PHASE_1_DURATION=200000, N_BAND, LATENT_SIZE, RATIOS, ...) "
      + "or gin bindings (VariationalEncoder.beta=0.5, get_padding.mode='causal')")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--channels", paramLabel = "N", description = "audio channels of the model (default: the preset's, 1); "
      + "the database needs at least N, more are mixed down to N")
  Integer channels;

  @Option(names = "--augment", split = ",", paramLabel = "NAME", description = "extra augmentation, repeatable, "
      + "applied in the order given: compress (random SoX-style compand), gain (random gain -6..+3 dB), "
      + "mute (silence 10%% of the items); phase mangling and dequantisation are always on")
  List<String> augment = new ArrayList<>();

  @Mixin SignalTransformOptions transforms;

  @Option(names = "--batch", defaultValue = "8", description = "batch size (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--n-signal", defaultValue = "131072", description = "training crop in samples (default ${DEFAULT-VALUE})")
  int nSignal;

  @Option(names = "--max-steps", description = "training steps (default 6000000, as the reference; with --resume: "
      + "the run's own unless given)")
  Long maxSteps;

  @ZeroAllowed
  @Option(names = "--max-minutes", defaultValue = "0", paramLabel = "MIN",
      description = "also stop after this much training time, 0 = no limit (default ${DEFAULT-VALUE})")
  double maxMinutes;

  @ZeroAllowed
  @Option(names = "--phase1", defaultValue = "-1", paramLabel = "STEPS",
      description = "steps of phase 1 (default: the preset's, 1000000 for v2)")
  long phase1;

  @Option(names = "--val-every", defaultValue = "10000", description = "validation period in steps (default ${DEFAULT-VALUE})")
  long valEvery;

  @ZeroAllowed
  @Option(names = "--save-every", defaultValue = "500000", description = "extra checkpoint period in steps, 0 = none (default ${DEFAULT-VALUE})")
  long saveEvery;

  @Option(names = "--log-every", defaultValue = "10", description = "TensorBoard scalar period in steps (default ${DEFAULT-VALUE})")
  int logEvery;

  @ZeroAllowed
  @Option(names = "--ema", defaultValue = "0", description = "EMA factor of the weights, e.g. 0.999 (default: none)")
  double ema;

  @AnySign
  @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--workers", defaultValue = "2", description = "data loader threads (default ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda[:N] (default ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--threads", description = "torch threads (default: all cores)")
  Integer threads;

  @Option(names = "--deterministic", negatable = true, defaultValue = "true",
      description = "oneDNN in its reproducible mode, so that a resumed run matches an uninterrupted one exactly "
          + "on CPU; --no-deterministic lets it sum in any order (default ${DEFAULT-VALUE})")
  boolean deterministic;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "number format of training: fp32 (default), or bf16 mixed precision (autocast: bfloat16 "
          + "convolutions in the encoder, decoder and discriminator; float32 weights, optimiser and losses; "
          + "about 20%% faster in phase 2 for full-size models on CPUs with AMX; slower for small models)")
  String precision;

  @Option(names = "--checkpoint-activations",
      description = "recompute the residual units' activations in the backward pass instead of keeping them: "
          + "same gradients, one more forward pass of those units; less memory where the allocator reuses "
          + "freed blocks (GPUs), not on CPU (see docs/training.md)")
  boolean checkpointActivations;

  @Option(names = "--resume", paramLabel = "RUN", description = "continue the run in this folder from its last checkpoint")
  Path resume;

  @Mixin DataParallelOptions parallel;

  @Override
  public Integer call() throws IOException {
    if (parallel.launchesWorkers()) {
      return launchWorkers();
    }
    if (!parallel.joinsGroup()) {
      parallel.checkSingle();
    }
    Device dev = parseDevice();
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    RunFolder run;
    RunSettings settings;
    RaveConfig config;
    boolean resuming = resume != null;
    if (resuming) {
      List<String> fixed = spec.commandLine().getParseResult().matchedOptions().stream().map(OptionSpec::longestName)
          .filter(n -> !RESUME_OPTIONS.contains(n)).distinct().toList();
      if (!fixed.isEmpty()) {
        throw new UserError(String.join(", ", fixed) + " cannot be given with --resume: a run continues with the settings "
            + "it was started with (" + resume.resolve("run.json") + "); only --max-steps, --max-minutes, --threads and "
            + "--device may change");
      }
      run = new RunFolder(resume);
      if (!Files.exists(run.lastCheckpoint()) || !Files.exists(run.settingsFile())) {
        throw new UserError(resume + " is not a jrave run folder with a checkpoint (no run.json or checkpoints/last.ckpt)");
      }
      settings = run.readSettings();
      if (maxSteps != null) {
        settings = settings.withMaxSteps(maxSteps);
      }
      config = run.readConfig();
    } else {
      if (db == null || name == null) {
        throw new UserError("give --db DB and --name NAME (or --resume RUN to continue a run)");
      }
      config = configure();
      settings = newRunSettings();
      run = new RunFolder(out.resolve(name));
      if (parallel.rank == 0 && Files.exists(run.settingsFile())) {
        throw new UserError(run.root() + " already holds a run: continue it with --resume " + run.root()
            + ", or choose another --name");
      }
    }
    Preflight.Data data;
    try {
      data = Preflight.check(Path.of(settings.db()), config, settings.batch(), settings.nSignal(), settings.signal());
    } catch (Preflight.Problem e) {
      throw new UserError(e.getMessage(), e);
    }
    if (parallel.joinsGroup() && settings.batch() % parallel.worldSize != 0) {
      throw new UserError("--batch " + settings.batch() + " (the global batch) does not split evenly into "
          + parallel.worldSize + " processes: give a multiple of " + parallel.worldSize);
    }
    if (data.channels() > config.channels() && !resuming && parallel.rank == 0) {
      System.err.printf("Note: %s has %d channels and the model %d: they are mixed down to %d (train with --channels %d "
          + "for a model of all of them)%n", settings.db(), data.channels(), config.channels(), config.channels(), data.channels());
    }
    DataParallel group = parallel.joinsGroup() ? joinGroup(dev, settings, config) : null;
    try (group) {
      if (!resuming && parallel.rank == 0) {
        run.create(settings, config);
      }
      boolean leads = group == null || group.leads();
      java.io.PrintStream console = leads ? System.err : new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
      TrainingLoop loop = new TrainingLoop(run, settings, config, dev, console)
          .withCheckpointActivations(checkpointActivations);
      if (group != null) {
        loop.withDataParallel(group);
      }
      if (maxMinutes > 0) {
        loop.withTimeLimit(java.time.Duration.ofMillis((long) (maxMinutes * 60_000)));
      }
      TrainingLoop.Outcome outcome = loop.run(resuming);
      if (leads) {
        System.out.printf("Trained to step %d%s. Best model: %s; checkpoints in %s; logs: tensorboard --logdir %s%n",
            outcome.finalStep(), group == null ? "" : " with " + group.worldSize() + " processes", run.modelFile(),
            run.checkpoints(), run.logs());
      }
    } catch (ProcessGroup.GroupFailure e) {
      throw new UserError(e.getMessage(), e);
    } catch (RuntimeException e) {
      if (dev.isCuda() && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("out of memory")) {
        throw new UserError("batch " + settings.batch() + " x " + settings.nSignal() + " does not fit in " + dev
            + " memory: try --batch " + Math.max(1, settings.batch() / 2) + " (or a smaller --n-signal)", e);
      }
      throw e;
    }
    return 0;
  }

  /** {@code --nproc N}: this same command as N local ranks, each with its share of the threads. */
  private int launchWorkers() {
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    int at = args.indexOf(spec.name());
    List<String> command = new ArrayList<>(args.subList(Math.max(0, at), args.size()));
    if (at < 0) {
      command.addFirst(spec.name());
    }
    for (String option : List.of("--nproc", "--threads", "--device")) {
      removeOption(command, option);
    }
    int total = threads == null ? Engine.DEFAULT_THREADS : threads;
    int each = Math.max(1, total / parallel.nproc);
    Device dev = parseDevice();
    try {
      LocalWorkers.Outcome outcome = new LocalWorkers(JraveMain.class.getName()).run(command, parallel.nproc, each,
          rank -> List.of("--device", dev.isCuda() ? "cuda:" + rank : dev.toString()));
      if (!outcome.succeeded()) {
        throw new UserError(outcome.failure());
      }
      return 0;
    } catch (IOException e) {
      throw new UserError("could not start " + parallel.nproc + " worker processes: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while the workers ran", e);
    }
  }

  private static void removeOption(List<String> args, String option) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(option)) {
        args.remove(i);
        if (i < args.size()) {
          args.remove(i);
        }
        i--;
      } else if (args.get(i).startsWith(option + "=")) {
        args.remove(i--);
      }
    }
  }

  /** Joins the group and checks that every rank was started with rank 0's settings. */
  private DataParallel joinGroup(Device dev, RunSettings settings, RaveConfig config) {
    try {
      DataParallel group = DataParallel.join(parallel.rendezvous(), dev);
      try {
        group.requireSameAsLeader("settings", RunFolder.settingsJson(settings) + "\n" + config);
      } catch (RuntimeException e) {
        group.close();
        throw e;
      }
      return group;
    } catch (ProcessGroup.GroupFailure e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private Device parseDevice() {
    try {
      Device d = Device.parse(device);
      if (d.isCuda() && !Engine.cudaAvailable()) {
        throw new UserError("--device " + device + ": no CUDA device is available to this jrave build; use --device cpu");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new UserError("--device " + device + " is not a device; use cpu, cuda or cuda:N", e);
    }
  }

  /** The settings of a new run (run.json): what the configuration was made of, the loop's sizes, the data handling. */
  RunSettings newRunSettings() {
    RunSettings settings = new RunSettings(db.toAbsolutePath().toString(), configuration().recorded(), overrides, batch,
        nSignal, maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps, valEvery, saveEvery, phase1, seed, ema, logEvery,
        workers, deterministic, channels == null ? 0 : channels, augmentations(), transforms.signal(),
        PrecisionOption.parse(precision));
    check(settings);
    return settings;
  }

  private TrainConfiguration configuration() {
    return new TrainConfiguration(presets, overrides, channels);
  }

  /** The configuration from the presets, gin files and overrides, or a user error naming the bad one. */
  RaveConfig configure() {
    TrainConfiguration configuration = configuration();
    RaveConfig config = configuration.build();
    if (phase1 >= 0 && config.training().phase1Duration() != configuration.presetsOnly().training().phase1Duration()) {
      throw new UserError("the length of phase 1 is given twice: use --phase1 " + phase1
          + " or --override PHASE_1_DURATION=N, not both");
    }
    return config;
  }

  /** The chosen augmentations in order, each once, or a user error naming the bad one. */
  private List<Augmentation> augmentations() {
    List<Augmentation> out = new ArrayList<>();
    for (String name : augment) {
      Augmentation a;
      try {
        a = Augmentation.parse(name);
      } catch (IllegalArgumentException e) {
        throw new UserError("--augment " + name + " is not an augmentation: use compress, gain or mute", e);
      }
      if (LoaderConfig.REFERENCE_DEFAULT.contains(a)) {
        throw new UserError("--augment " + name + ": phase mangling and dequantisation are always on; "
            + "--augment takes compress, gain or mute");
      }
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  private static void check(RunSettings s) {
    if (s.batch() < 1) {
      throw new UserError("--batch must be at least 1");
    }
    if (s.maxSteps() < 1 || s.valEvery() < 1 || s.logEvery() < 1) {
      throw new UserError("--max-steps, --val-every and --log-every must be at least 1");
    }
    if (s.ema() < 0 || s.ema() >= 1) {
      throw new UserError("--ema must be in [0, 1), e.g. 0.999");
    }
  }
}
