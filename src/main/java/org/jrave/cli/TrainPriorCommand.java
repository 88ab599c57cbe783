package org.jrave.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jrave.data.AudioBatch;
import org.jrave.data.DatasetException;
import org.jrave.data.LoaderConfig;
import org.jrave.data.TrainingData;
import org.jrave.data.transform.SignalOptions;
import org.jrave.engine.Engine;
import org.jrave.model.RaveModel;
import org.jrave.train.RunFolder;
import org.jrave.train.TrainingLoop;
import org.jrave.prior.PriorCheckpoint;
import org.jrave.prior.PriorConfig;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorLatents;
import org.jrave.prior.PriorNetwork;
import org.jrave.prior.PriorTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrave train-prior}: trains the autoregressive prior over a VAE model's latent (spec 9.3). */
@Command(name = "train-prior", mixinStandardHelpOptions = true,
    description = {"Train the prior (an autoregressive model of the latent) for a trained VAE model on a dataset.",
      "Writes RUNS/NAME/prior.safetensors for 'jrave sample' and 'jrave export --prior'. "
        + "Continue a run with --resume RUNS/NAME."})
public final class TrainPriorCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Mixin SignalTransformOptions transforms;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "DB", description = "dataset made by 'jrave preprocess'")
  Path db;

  @Option(names = {"--output", "--out"}, defaultValue = "runs", paramLabel = "RUNS", description = "runs folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--name", defaultValue = "prior", paramLabel = "NAME", description = "run name (default: ${DEFAULT-VALUE})")
  String name;

  @Option(names = "--latent-size", paramLabel = "L", description = "latent dimensions modelled (rounded up to a power of two)")
  Integer latentSize;

  @Option(names = "--fidelity", paramLabel = "F", defaultValue = "0.95",
      description = "without --latent-size: the dimensions that explain this share of the variance (default: ${DEFAULT-VALUE})")
  double fidelity;

  @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "batch size (default: ${DEFAULT-VALUE})")
  int batch;

  @ZeroAllowed
  @Option(names = "--n-signal", defaultValue = "0", paramLabel = "SAMPLES",
      description = "training crop (default: the prior's receptive field, a power of two)")
  int nSignal;

  @Option(names = "--max-steps", defaultValue = "1000000", paramLabel = "N", description = "training steps (default: ${DEFAULT-VALUE})")
  long maxSteps;

  @Option(names = "--val-every", defaultValue = "1000", paramLabel = "N", description = "validation period in steps (default: ${DEFAULT-VALUE})")
  long valEvery;

  @Option(names = "--lr", defaultValue = "1e-4", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--res-size", defaultValue = "512", paramLabel = "N", description = "residual width (default: ${DEFAULT-VALUE})")
  int resSize;

  @Option(names = "--skip-size", defaultValue = "256", paramLabel = "N", description = "skip width (default: ${DEFAULT-VALUE})")
  int skipSize;

  @Option(names = "--layers", defaultValue = "10", paramLabel = "N", description = "residual layers (default: ${DEFAULT-VALUE})")
  int layers;

  @ZeroAllowed
  @Option(names = "--sample-seconds", defaultValue = "4", paramLabel = "S",
      description = "at each validation, write S seconds sampled from the prior to RUNS/NAME/samples/ (0: none; default: ${DEFAULT-VALUE})")
  double sampleSeconds;

  @AnySign
  @Option(names = "--seed", paramLabel = "N", description = "random seed")
  Long seed;

  @Option(names = "--resume", paramLabel = "RUN",
      description = "continue the prior run in this folder from its last checkpoint (its settings are kept; --max-steps may extend it)")
  Path resume;

  /** How a prior run was started: what {@code --resume} continues with. */
  record RunSettings(int latentSize, int resSize, int skipSize, int layers, int batch, int crop, double lr, long seed,
      long valEvery, double sampleSeconds, long maxSteps, SignalOptions signal) {
    RunSettings {
      signal = signal == null ? SignalOptions.NONE : signal; // runs started before the option existed
    }

    RunSettings withMaxSteps(long steps) {
      return new RunSettings(latentSize, resSize, skipSize, layers, batch, crop, lr, seed, valEvery, sampleSeconds, steps,
          signal);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
      .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (batch < 1 || maxSteps < 1 || valEvery < 1 || !(lr > 0) || nSignal < 0 || !(sampleSeconds >= 0 && sampleSeconds <= 600)) {
      throw new UserError("--batch, --max-steps, --val-every and --lr must be positive, --n-signal >= 0, --sample-seconds 0 to 600");
    }
    if (!(fidelity >= 0.1 && fidelity <= 0.999)) {
      throw new UserError("--fidelity " + fidelity + ": give a value between 0.1 and 0.999");
    }
    transforms.signal(); // checks --rand-pitch and friends before any work
    if (!Files.isDirectory(db)) {
      throw new UserError("--db " + db + " is not a dataset folder (make one with 'jrave preprocess')");
    }
    Path run = resume != null ? resume : out.resolve(name);
    RunFolder folder = new RunFolder(run);
    Path settingsFile = run.resolve("prior-run.json");
    if (resume != null && (!Files.isRegularFile(settingsFile) || !Files.isRegularFile(folder.lastCheckpoint()))) {
      throw new UserError("--resume " + resume + " is not a prior run with a checkpoint (no prior-run.json or "
          + "checkpoints/last.ckpt): start one with --output and --name");
    }
    if (resume == null && Files.exists(settingsFile)) {
      throw new UserError(run + " already holds a prior run: continue it with --resume " + run + ", or choose another --name");
    }
    try {
      Files.createDirectories(run);
    } catch (IOException | UnsupportedOperationException e) {
      throw new UserError("cannot create the run folder " + run + ": " + e.getMessage());
    }
    if (!Files.isWritable(run)) {
      throw new UserError("the run folder " + run + " is not writable");
    }
    try (RaveModel model = modelOptions.load()) {
      RunSettings settings = resume != null ? readSettings(settingsFile) : newSettings(model);
      PriorLatents latents;
      PriorConfig config;
      try {
        latents = new PriorLatents(model, settings.latentSize());
        config = new PriorConfig(settings.latentSize(), 32, settings.resSize(), settings.skipSize(), 3, 4, settings.layers());
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
      int crop = settings.crop();
      int l = config.latentSize();
      LoaderConfig loader = LoaderConfig.defaults().withBatch(settings.batch(), crop).withWorkers(2).withSeed(settings.seed()).withSignal(settings.signal());
      err.printf(Locale.ROOT, "prior over %d latent dimension(s), %,d parameters, receptive field %d frames; crops of %d samples%n",
          l, parameterCount(config), config.receptiveField(), crop);
      err.flush();
      Engine.manualSeed(settings.seed());
      try (TrainingData data = TrainingData.open(db, model.config().channels(), loader);
           PriorNetwork network = new PriorNetwork(config);
           PriorTrainer trainer = new PriorTrainer(network, latents, settings.lr())) {
        network.to(model.device());
        if (data.train().batchesPerEpoch() == 0) {
          throw new UserError("--db " + db + " has too few examples for a batch of " + settings.batch());
        }
        PriorFile.ModelFacts facts = PriorFile.ModelFacts.of(model);
        Path file = run.resolve("prior.safetensors");
        PriorCheckpoint.Position position = PriorCheckpoint.Position.START;
        if (resume != null) {
          PriorFile.Loaded previous = PriorFile.load(file);
          try (PriorNetwork ignored = previous.network()) {
            String mismatch = previous.mismatch(model);
            if (mismatch != null) {
              throw new UserError("--resume " + resume + ": " + mismatch);
            }
          }
          position = PriorCheckpoint.load(folder.lastCheckpoint(), network, trainer);
          err.printf(Locale.ROOT, "resuming %s at step %d%n", run, position.step());
        } else {
          JSON.writeValue(settingsFile.toFile(), settings);
        }
        double recent = Double.NaN;
        long first = position.step();
        long t0 = System.nanoTime();
        while (position.step() < settings.maxSteps()) {
          Iterator<AudioBatch> it = data.train().epoch(position.epoch(), position.batchInEpoch());
          while (it.hasNext() && position.step() < settings.maxSteps()) {
            AudioBatch b = it.next();
            // Every draw of a step (the VAE's sampled latent) follows from (seed, step): resumable exactly.
            Engine.manualSeed(TrainingLoop.mix(settings.seed(), position.step()));
            double loss = trainer.step(b.samples(), b.batch(), b.channels(), b.length());
            recent = Double.isNaN(recent) ? loss : 0.9 * recent + 0.1 * loss;
            position = position.advance();
            long step = position.step();
            if (step == 1) {
              err.printf(Locale.ROOT, "step 1: latent_prediction %.4f%n", loss);
            }
            if (step % settings.valEvery() == 0 || step == settings.maxSteps()) {
              Engine.manualSeed(TrainingLoop.mix(settings.seed(), VALIDATION_SEED));
              double val = validate(trainer, data);
              err.printf(Locale.ROOT, "step %d: latent_prediction %.4f, validation %s (%.1f steps/s)%n", step, recent,
                  Double.isNaN(val) ? "n/a" : String.format(Locale.ROOT, "%.4f", val),
                  (step - first) / ((System.nanoTime() - t0) / 1e9));
              err.flush();
              PriorFile.save(network, facts, file);
              PriorCheckpoint.save(folder.lastCheckpoint(), network, trainer,
                  it.hasNext() ? position : position.nextEpoch());
              if (settings.sampleSeconds() > 0) {
                writeSample(network, latents, run.resolve("samples").resolve("step_" + step + ".wav"), model,
                    settings);
              }
            }
          }
          if (!it.hasNext()) {
            position = position.nextEpoch();
          }
        }
        err.println("prior written to " + file);
        err.flush();
      } catch (IOException | DatasetException e) {
        throw new UserError(e.getMessage(), e);
      }
    }
    return 0;
  }

  private static final long VALIDATION_SEED = 0x5EEDL << 40;

  private RunSettings newSettings(RaveModel model) {
    int modelLatent = model.config().latentSize();
    if (latentSize != null && (latentSize < 1 || latentSize > modelLatent)) {
      throw new UserError("--latent-size " + latentSize + ": this model's latent has " + modelLatent + " dimensions");
    }
    int l = latentSize != null ? PriorConfig.roundLatentSize(latentSize, modelLatent)
        : PriorConfig.latentSizeForFidelity(model.fidelity().toFloatArray(), fidelity);
    PriorConfig config;
    try {
      config = new PriorConfig(l, 32, resSize, skipSize, 3, 4, layers);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    int crop = nSignal > 0 ? nSignal : config.minimumSignal(model.ratio());
    crop = Math.max(model.ratio(), crop / model.ratio() * model.ratio());
    if (crop / model.ratio() < l + 1) {
      throw new UserError("--n-signal " + crop + " is too short: the prior needs at least " + (l + 1) * model.ratio()
          + " samples (" + (l + 1) + " latent frames)");
    }
    long s = seed != null ? seed : new java.util.Random().nextLong();
    return new RunSettings(l, resSize, skipSize, layers, batch, crop, lr, s, valEvery, sampleSeconds, maxSteps,
        transforms.signal());
  }

  private RunSettings readSettings(Path file) {
    RunSettings settings;
    try {
      settings = JSON.readValue(file.toFile(), RunSettings.class);
    } catch (IOException e) {
      throw new UserError(file + " is not readable prior run settings: " + e.getMessage());
    }
    if (!transforms.signal().equals(SignalOptions.NONE) && !transforms.signal().equals(settings.signal())) {
      throw new UserError("--rand-pitch, --normalize and --derivative cannot be changed with --resume: the run keeps the"
          + " data handling it started with (" + file + ")");
    }
    return spec.commandLine().getParseResult().hasMatchedOption("--max-steps") ? settings.withMaxSteps(maxSteps) : settings;
  }

  /** What the prior generates so far (the reference logs it as {@code generation}). */
  private static void writeSample(PriorNetwork network, PriorLatents latents, Path wav, RaveModel model,
      RunSettings settings) throws IOException {
    int sr = model.config().sampleRate();
    int frames = (int) Math.ceil(settings.sampleSeconds() * sr / model.ratio());
    float[][] z = new org.jrave.prior.PriorSampler(network).sample(frames, 1.0, new java.util.Random(settings.seed()));
    org.jrave.play.AtomicWav.write(wav, new org.jrave.audio.AudioClip(sr, latents.decode(z)));
  }

  private static double validate(PriorTrainer trainer, TrainingData data) {
    Iterator<AudioBatch> it = data.validation().epoch(0);
    double sum = 0;
    int n = 0;
    while (it.hasNext() && n < 8) {
      AudioBatch b = it.next();
      sum += trainer.evaluate(b.samples(), b.batch(), b.channels(), b.length());
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static long parameterCount(PriorConfig c) {
    try (PriorNetwork n = new PriorNetwork(c)) {
      return n.parameterCount();
    }
  }
}
