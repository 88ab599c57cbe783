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
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.WavFile;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.PreprocessReport;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.jrave.demo.ClipComparison;
import org.jrave.demo.LatentWalk;
import org.jrave.demo.PretrainedDemoRun;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.inference.OfflineCodec;
import org.jrave.model.RaveModel;
import org.jrave.model.RaveFactory;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.io.ModelFile;
import org.jrave.model.io.ModelLoader;
import org.jrave.train.RunFolder;
import org.jrave.train.TrainingLoop;
import org.jrave.train.log.SpectrogramImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jrave demo}: the README's main job on a fresh machine, in about three minutes on a CPU.
 * Prepares a dataset from bundled real clips (CC0 / CC-BY, see LICENSES.md beside them), continues
 * the training of the small model jrave ships pre-trained on them ({@link PretrainedDemoRun}) for a
 * moment, then shows what the model does: the tabla clip reconstructed (beside an untrained
 * model's attempt), a speech clip played through the model (timbre transfer), and a walk along the
 * latent space's main direction through the real-time engine; a spectrogram for each, and the
 * reconstruction's spectral distance and loudness difference printed. Everything goes into one folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Fine-tune the bundled pre-trained model on bundled clips, then reconstruct, transfer and walk.",
      "Writes the dataset, the run (checkpoints, TensorBoard logs), model.safetensors, the input and",
      "output clips (reconstruction, timbre transfer, latent walk) and a spectrogram of each into one folder."})
public final class DemoCommand implements Callable<Integer> {

  static final List<String> CLIPS = List.of("tabla.wav", "piano_c4.ogg", "bd_boom.flac");
  static final String SPEECH = "speech.ogg";
  static final int N_SIGNAL = 16384;

  @Option(names = {"--output", "--out"}, defaultValue = "jrave-demo", paramLabel = "DIR",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--minutes", defaultValue = "1.5", description = "fine-tuning time (default ${DEFAULT-VALUE})")
  double minutes;

  @Option(names = "--steps", defaultValue = "1000",
      description = "at most this many fine-tuning steps (default ${DEFAULT-VALUE})")
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
    Path speechFile = dir.resolve(SPEECH);
    copyResource(SPEECH, speechFile);

    Path db = dir.resolve("dataset");
    System.out.println("1/5 preparing a dataset from " + CLIPS.size() + " bundled clips (" + clips + ")");
    PreprocessReport report = onOwnThread(() -> new Preprocessor(
        PreprocessConfig.of(List.of(clips), db, SAMPLE_RATE, 1).withNumSignal(N_SIGNAL)).run(ProgressListener.NONE));
    System.out.printf("    %d examples (%.1f s of audio)%n", report.totalExamples(), report.secondsRead());
    float[] speech = onOwnThread(() -> new AudioDecoder().decode(speechFile, AudioTarget.of(SAMPLE_RATE, 1))
        .samples()[0]);

    RunFolder run = new RunFolder(dir.resolve("run"));
    PretrainedDemoRun.Installed installed = PretrainedDemoRun.install(run, db, steps);
    RaveConfig config = installed.config();
    long pretrainedStep = installed.pretrainedStep();
    System.out.printf("2/5 fine-tuning jrave's pre-trained tiny v2 (capacity 8, trained %d steps on these clips) "
        + "for up to %.1f min or %d steps%n", pretrainedStep, minutes, steps);
    long t0 = System.nanoTime();
    TrainingLoop.Outcome outcome = new TrainingLoop(run, installed.settings(), config, Device.CPU, System.out)
        .withTimeLimit(Duration.ofMillis((long) (minutes * 60_000))).run(true);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;

    System.out.println("3/5 reconstructing the tabla clip (and, for comparison, through an untrained model)");
    Path modelFile = dir.resolve("model.safetensors");
    Path input = dir.resolve("input.wav");
    Files.copy(clips.resolve("tabla.wav"), input, StandardCopyOption.REPLACE_EXISTING);
    AudioClip clip = WavFile.read(input);
    float[] tabla = clip.channel(0);
    try (RaveModel model = ModelLoader.load(run.lastCheckpoint())) {
      ModelFile.save(model, modelFile);
      float[] reconstruction = forward(model, tabla);
      float[] untrained = untrainedForward(config, tabla);
      WavFile.write(dir.resolve("reconstruction.wav"), mono(reconstruction));
      ClipComparison trained = ClipComparison.of(tabla, reconstruction);
      ClipComparison baseline = ClipComparison.of(tabla, untrained);
      spectrograms(dir.resolve("reconstruction.png"), List.of(
          new SpectrogramImage.Panel("input: tabla.wav", tabla),
          new SpectrogramImage.Panel("reconstruction (" + trained + ")", reconstruction),
          new SpectrogramImage.Panel("an untrained model of the same size (" + baseline + ")", untrained)));

      System.out.println("4/5 timbre transfer: a speech clip played through the model");
      float[] transferred = forward(model, speech);
      WavFile.write(dir.resolve("speech_through_model.wav"), mono(transferred));
      spectrograms(dir.resolve("timbre_transfer.png"), List.of(
          new SpectrogramImage.Panel("input: " + SPEECH + " (synthesised speech)", speech),
          new SpectrogramImage.Panel("through the model, which has only heard tabla, piano and drum", transferred)));

      System.out.println("5/5 latent walk: the tabla clip through the real-time engine, sweeping the main latent direction");
      float[] walk = LatentWalk.render(model, new float[][] {tabla})[0];
      WavFile.write(dir.resolve("latent_walk.wav"), mono(walk));
      spectrograms(dir.resolve("latent_walk.png"), List.of(
          new SpectrogramImage.Panel("input: tabla.wav", tabla),
          new SpectrogramImage.Panel("latent walk: first PCA dimension swept up, down and back", walk)));

      System.out.printf("jrave demo: fine-tuned from step %d to %d in %.0f s%n", pretrainedStep, outcome.finalStep(),
          trainSeconds);
      System.out.println("  reconstruction of tabla.wav: " + trained);
      System.out.println("  the same through an untrained model: " + baseline);
    }
    System.out.println("  model:            " + modelFile);
    System.out.println("  reconstruction:   " + dir.resolve("reconstruction.wav") + " (input.wav is the original)");
    System.out.println("  timbre transfer:  " + dir.resolve("speech_through_model.wav"));
    System.out.println("  latent walk:      " + dir.resolve("latent_walk.wav"));
    System.out.println("  spectrograms:     reconstruction.png, timbre_transfer.png, latent_walk.png");
    System.out.println("  run folder:       " + run.root() + " (tensorboard --logdir " + run.logs()
        + "; continue with jrave train --resume " + run.root() + ")");
    System.out.println("Everything is in " + dir);
    return 0;
  }

  private static final int SAMPLE_RATE = 44100;

  private static float[] forward(RaveModel model, float[] samples) {
    return new OfflineCodec(model, Device.CPU).forward(new float[][] {samples}, OfflineCodec.Mode.DETERMINISTIC)[0];
  }

  /** The same clip through a model of the same configuration that has not been trained. */
  private static float[] untrainedForward(RaveConfig config, float[] samples) {
    Engine.manualSeed(0);
    try (RaveModel untrained = RaveFactory.build(config)) {
      untrained.eval();
      return forward(untrained, samples);
    }
  }

  private static AudioClip mono(float[] samples) {
    return new AudioClip(SAMPLE_RATE, new float[][] {samples});
  }

  private static void spectrograms(Path png, List<SpectrogramImage.Panel> panels) throws IOException {
    SpectrogramImage.of(panels, SAMPLE_RATE).write(png);
  }

  /**
   * Runs audio decoding on a thread of its own: native decoders have been seen to leave the calling
   * thread's floating-point state such that later libtorch training on that thread produced NaNs.
   */
  private static <T> T onOwnThread(Callable<T> work) throws Exception {
    java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        result.set(work.call());
      } catch (Exception e) {
        failure.set(e);
      }
    }, "jrave-demo-decoding");
    t.start();
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
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
