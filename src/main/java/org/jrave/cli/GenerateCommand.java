package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jrave.data.DatasetException;
import org.jrave.interop.TorchScriptGenerator;
import org.jrave.interop.TorchScriptModel;
import org.jrave.model.RaveModel;
import org.jrave.play.BatchGeneration;
import org.jrave.play.GenerationPlan;
import org.jrave.play.Generator;
import org.jrave.play.LatentShaper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jrave generate}: transforms audio files and folders through a model into WAV files. */
@Command(name = "generate", mixinStandardHelpOptions = true, resourceBundle = "org.jrave.cli.GenerateCommand",
    description = {"Transform audio files and folders through a model (encode, optional latent edits, decode).",
      "Any format and rate in; each output is a 32-bit float WAV at its input's rate and channel count, "
          + "at the input's relative path under --output. Inputs are never overwritten."})
public final class GenerateCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "audio files and folders (searched recursively)")
  List<Path> inputs;

  @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(names = "--stream", paramLabel = "BLOCK",
      description = "run through the real-time engine in blocks of BLOCK samples (a multiple of the model's ratio)")
  Integer block;

  @Mixin LatentEditOptions edits;
  @Mixin PrecisionOption precision;

  @Option(names = "--latent-size", paramLabel = "N",
      description = "keep the first N PCA dimensions from the encoder and draw the others as noise (default: all)")
  Integer latentSize;

  @ZeroAllowed
  @Option(names = "--temperature", paramLabel = "T",
      description = "with --latent-size: standard deviation of the noise drawn for the other dimensions (default: 1)")
  Float temperature;

  @Option(names = "--spectrogram", description = "also write NAME.png: spectrograms of input (top) and output (bottom)")
  boolean spectrogram;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @Override
  public Integer call() {
    GenerationPlan plan = plan();
    precision.requireNative(modelOptions);
    if (modelOptions.isTorchScript()) {
      return callTorchScript(plan);
    }
    try (RaveModel model = precision.load(modelOptions, block != null)) {
      LatentShaper shaper = shaper(model);
      if (block != null) {
        StreamOptions.requireBlockSize(block, model.ratio());
      }
      Generator generator = new Generator(model, shaper, edits.deterministic, block, precision.get());
      report(plan, new BatchGeneration(generator, model.config().sampleRate(), spectrogram));
    }
    return 0;
  }

  /** An nn~ TorchScript model: its forward, offline or in blocks; latent controls need a jrave model. */
  private int callTorchScript(GenerationPlan plan) {
    if (edits.given() || latentSize != null) {
      throw new UserError("--deterministic, --latent-size, --bias and --scale need a jrave model: a TorchScript "
          + "model samples and shapes its latent inside its compiled code");
    }
    try (TorchScriptModel model = modelOptions.loadTorchScript()) {
      TorchScriptGenerator generator;
      try {
        generator = new TorchScriptGenerator(model, block);
      } catch (IllegalArgumentException e) {
        throw new UserError("--stream " + block + ": " + e.getMessage());
      }
      report(plan, new BatchGeneration(generator, model.sampleRate(), spectrogram));
    }
    return 0;
  }

  private void report(GenerationPlan plan, BatchGeneration batch) {
    BatchGeneration.Report report = batch.run(plan, noProgress ? new Quiet() : new Bar());
    java.io.PrintWriter err = spec.commandLine().getErr();
    for (BatchGeneration.Outcome o : report.outcomes()) {
      if (!o.ok()) {
        err.println("skipped " + o.item().input() + ": " + o.failure());
      }
    }
    long done = report.outcomes().size() - report.failures();
    err.printf(Locale.ROOT, "%d of %d file(s) written to %s: %.1f s of audio in %.1f s (%.1fx real time, %s)%n",
        done, report.outcomes().size(), out, report.audioSeconds(), report.wallSeconds(), report.realTimeFactor(),
        block == null ? "offline" : "streaming, blocks of " + block);
    err.flush();
    if (report.failures() > 0) {
      throw new UserError(report.failures() + " of " + report.outcomes().size() + " file(s) failed (listed above)");
    }
  }

  private GenerationPlan plan() {
    try {
      Files.createDirectories(out);
    } catch (IOException | UnsupportedOperationException e) {
      throw new UserError("cannot create the output folder " + out + ": " + e.getMessage());
    }
    if (!Files.isDirectory(out) || !Files.isWritable(out)) {
      throw new UserError("the output folder " + out + " is not a writable folder");
    }
    try {
      return GenerationPlan.of(inputs, out);
    } catch (GenerationPlan.PlanException | DatasetException e) {
      throw new UserError(e.getMessage());
    }
  }

  private LatentShaper shaper(RaveModel model) {
    int size = model.config().latentSize();
    int keep = latentSize == null ? size : latentSize;
    if (keep < 1 || keep > size) {
      throw new UserError("--latent-size " + keep + ": this model's latent has " + size + " dimensions (give 1 to " + size + ")");
    }
    if (temperature != null && latentSize == null) {
      throw new UserError("--temperature only applies with --latent-size N (it scales the noise drawn for the "
          + "dimensions beyond N)");
    }
    float t = temperature == null ? 1f : temperature;
    if (!(t >= 0) || Float.isInfinite(t)) {
      throw new UserError("--temperature " + t + ": give a finite value >= 0");
    }
    LatentShaper shaper = new LatentShaper(model, keep, t);
    edits.applyTo(shaper.control());
    return shaper;
  }

  private static final class Quiet implements BatchGeneration.Listener {
    @Override
    public void started(int files, double seconds) {}

    @Override
    public void fileDone(GenerationPlan.Item item, double seconds, String failure) {}
  }

  /** Progress bar on stderr in seconds of audio. */
  private static final class Bar implements BatchGeneration.Listener {
    private ProgressBar bar;
    private double seconds;

    @Override
    public void started(int files, double total) {
      bar = new ProgressBarBuilder().setTaskName("generate").setInitialMax(Math.max(1, Math.round(total * 10)))
          .setUnit(" s", 10).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    @Override
    public void fileDone(GenerationPlan.Item item, double s, String failure) {
      seconds += s;
      bar.stepTo(Math.min(bar.getMax(), Math.round(seconds * 10)));
      bar.setExtraMessage(" " + item.input().getFileName());
    }

    @Override
    public void finished() {
      bar.close();
    }
  }
}
