package org.jrave.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.PreprocessReport;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.inference.OfflineCodec;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.io.ModelFile;
import org.jrave.train.Preflight;
import org.jrave.train.RunFolder;
import org.jrave.train.RunSettings;
import org.jrave.train.TrainingLoop;
import org.jrave.train.log.SpectrogramImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jrave demo}: the README's main job on a fresh machine, in a few minutes on a CPU. Prepares a
 * dataset from bundled real clips (CC0 / CC-BY, see LICENSES.md beside them), trains a tiny v2
 * model with both phases, saves it, reconstructs the tabla clip and draws input and output
 * spectrograms. Everything goes into one folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Train a tiny RAVE model on bundled real clips for a few minutes, then reconstruct a clip.",
      "Writes the dataset, the run (checkpoints, TensorBoard logs), model.safetensors, input.wav,",
      "reconstruction.wav and spectrogram.png into one folder."})
public final class DemoCommand implements Callable<Integer> {

  static final List<String> CLIPS = List.of("tabla.wav", "piano_c4.ogg", "bd_boom.flac");
  static final int N_SIGNAL = 16384;

  @Option(names = {"--output", "--out"}, defaultValue = "jrave-demo", paramLabel = "DIR",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--minutes", defaultValue = "3", description = "training time (default ${DEFAULT-VALUE})")
  double minutes;

  @Option(names = "--steps", defaultValue = "600", description = "at most this many steps (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--threads", paramLabel = "N", description = "torch threads (default: all cores)")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    Path dir = out.toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError("--output " + dir + " exists and is not a folder: choose another --output");
    }
    if (Files.exists(dir.resolve("run"))) {
      throw new UserError(dir + " already holds a demo run: remove it or choose another --output");
    }
    Path clips = Files.createDirectories(dir.resolve("clips"));
    for (String clip : CLIPS) {
      copyResource(clip, clips.resolve(clip));
    }
    copyResource("LICENSES.md", clips.resolve("LICENSES.md"));

    Path db = dir.resolve("dataset");
    System.out.println("1/4 preparing a dataset from " + CLIPS.size() + " bundled clips (" + clips + ")");
    PreprocessReport report = preprocess(clips, db);
    System.out.printf("    %d examples (%.1f s of audio)%n", report.totalExamples(), report.secondsRead());

    // A tiny v2: capacity 8, 16 latent dimensions, 2048x compression, 0.37 s training crops.
    List<String> overrides = List.of("capacity=8", "latent_size=16");
    RaveConfig config = Presets.builder(List.of("v2")).override("capacity", "8").override("latent_size", "16").build();
    long phase1 = steps * 3L / 4;
    RunSettings settings = new RunSettings(db.toString(), List.of("v2"), overrides, 4, N_SIGNAL, steps,
        50, 0, phase1, 0, 0, 10, 2, false);
    Preflight.check(db, config, settings.batch(), settings.nSignal());
    RunFolder run = new RunFolder(dir.resolve("run"));
    run.create(settings, config);
    System.out.printf("2/4 training a tiny v2 (capacity 8) for up to %.1f min or %d steps, phase 2 from step %d%n",
        minutes, steps, phase1);
    long t0 = System.nanoTime();
    TrainingLoop.Outcome outcome = new TrainingLoop(run, settings, config, Device.CPU, System.out)
        .withTimeLimit(Duration.ofMillis((long) (minutes * 60_000))).run(false);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;

    System.out.println("3/4 saving the model and reconstructing the tabla clip");
    Path modelFile = dir.resolve("model.safetensors");
    Files.copy(run.modelFile(), modelFile, StandardCopyOption.REPLACE_EXISTING);
    Path input = dir.resolve("input.wav");
    Files.copy(clips.resolve("tabla.wav"), input, StandardCopyOption.REPLACE_EXISTING);
    Path output = dir.resolve("reconstruction.wav");
    AudioClip clip = WavFile.read(input);
    float[][] y;
    try (RaveModel model = ModelFile.load(modelFile)) {
      y = new OfflineCodec(model, Device.CPU).forward(clip.channels(), OfflineCodec.Mode.DETERMINISTIC);
    }
    WavFile.write(output, new AudioClip(clip.sampleRate(), y));

    System.out.println("4/4 drawing spectrograms");
    Path png = dir.resolve("spectrogram.png");
    SpectrogramImage.of(List.of(new SpectrogramImage.Panel("input: tabla.wav", clip.channel(0)),
        new SpectrogramImage.Panel("reconstruction after " + outcome.finalStep() + " training steps", y[0]))).write(png);

    var v = outcome.validations();
    System.out.printf("jrave demo: trained %d steps in %.0f s; validation distance %.2f -> %.2f%n", outcome.finalStep(),
        trainSeconds, v.getFirst().distance(), v.getLast().distance());
    System.out.println("  model:          " + modelFile);
    System.out.println("  input:          " + input);
    System.out.println("  reconstruction: " + output);
    System.out.println("  spectrograms:   " + png + " (input above, reconstruction below)");
    System.out.println("  run folder:     " + run.root() + " (tensorboard --logdir " + run.logs() + ")");
    System.out.println("Everything is in " + dir);
    return 0;
  }

  /**
   * Runs the preprocessor on a thread of its own: native decoders have been seen to leave the
   * calling thread's floating-point state such that later libtorch training on that thread produced
   * NaNs.
   */
  private static PreprocessReport preprocess(Path clips, Path db) throws Exception {
    PreprocessReport[] result = new PreprocessReport[1];
    Exception[] failure = new Exception[1];
    Thread t = new Thread(() -> {
      try {
        result[0] = new Preprocessor(PreprocessConfig.of(List.of(clips), db, 44100, 1).withNumSignal(N_SIGNAL))
            .run(ProgressListener.NONE);
      } catch (Exception e) {
        failure[0] = e;
      }
    }, "jrave-demo-preprocess");
    t.start();
    t.join();
    if (failure[0] != null) {
      throw failure[0];
    }
    return result[0];
  }

  private static void copyResource(String name, Path target) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/org/jrave/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jrave jar is missing its demo resource " + name);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
