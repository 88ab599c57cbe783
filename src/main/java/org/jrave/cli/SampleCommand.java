package org.jrave.cli;

import org.jrave.io.WriteFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioClip;
import org.jrave.engine.Engine;
import org.jrave.model.RaveModel;
import org.jrave.play.AtomicWav;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorLatents;
import org.jrave.prior.PriorNetwork;
import org.jrave.prior.PriorSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrave sample}: unconditional audio from a model and its prior. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Generate audio unconditionally: the prior writes a latent sequence, the model decodes it.")
public final class SampleCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--prior", required = true, paramLabel = "PRIOR", description = "prior file from 'jrave train-prior'")
  Path prior;

  @Option(names = "--seconds", required = true, paramLabel = "S", description = "duration of the audio")
  double seconds;

  @ZeroAllowed
  @Option(names = "--temperature", defaultValue = "1", paramLabel = "T",
      description = "sampling temperature: 0 = most likely class, 1 = the prior's distribution, more = wilder (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "FILE.wav", description = "output WAV (32-bit float)")
  Path out;

  @AnySign
  @Option(names = "--seed", paramLabel = "N", description = "random seed (the same seed gives the same audio)")
  Long seed;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!(seconds > 0) || seconds > 3600) {
      throw new UserError("--seconds " + seconds + ": give a duration between 0 and 3600 seconds");
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new UserError("--temperature " + temperature + ": give a finite value >= 0");
    }
    if (!Files.isRegularFile(prior)) {
      throw new UserError("--prior " + prior + " does not exist or is not a file");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (Files.isDirectory(out) || (Files.isDirectory(parent) && !Files.isWritable(parent))) {
      throw new UserError("--output " + out + ": cannot write there");
    }
    try (RaveModel model = modelOptions.load()) {
      PriorFile.Loaded loaded;
      try {
        loaded = PriorFile.load(prior);
      } catch (IOException e) {
        throw new UserError(e.getMessage());
      }
      try (PriorNetwork network = loaded.network()) {
        String mismatch = loaded.mismatch(model);
        if (mismatch != null) {
          throw new UserError(mismatch);
        }
        network.to(model.device());
        PriorLatents latents;
        try {
          latents = new PriorLatents(model, network.config().latentSize());
        } catch (IllegalArgumentException e) {
          throw new UserError(e.getMessage());
        }
        if (seed != null) {
          Engine.manualSeed(seed);
        }
        Random random = seed == null ? new Random() : new Random(seed);
        int sr = model.config().sampleRate();
        int frames = (int) Math.ceil(seconds * sr / model.ratio());
        long t0 = System.nanoTime();
        float[][] z = new PriorSampler(network).sample(frames, temperature, random);
        float[][] audio = latents.decode(z);
        int length = (int) Math.round(seconds * sr);
        for (int c = 0; c < audio.length; c++) {
          audio[c] = java.util.Arrays.copyOf(audio[c], length);
        }
        AtomicWav.write(out, new AudioClip(sr, audio));
        err.printf(Locale.ROOT, "%.2f s sampled at temperature %.2f in %.1f s -> %s%n", seconds, temperature,
            (System.nanoTime() - t0) / 1e9, out);
        err.flush();
      } catch (IOException e) {
        throw new UserError(WriteFailure.of(out, e).getMessage());
      }
    }
    return 0;
  }
}
