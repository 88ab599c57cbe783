package org.jrave.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.inference.OfflineCodec;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jrave demo}: the README's main job on the embedded default. Reconstructs a bundled real
 * recording (CC0 tabla loop) with a bundled small model in the reference's run-folder layout and
 * writes input, latent and reconstruction into one folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Reconstruct a bundled real clip with the bundled model; everything goes to one folder.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "jrave-demo", paramLabel = "DIR",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "torch threads (default: all cores)")
  Integer threads;

  @Override
  public Integer call() throws IOException {
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    Path dir = out.toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError("--out " + dir + " exists and is not a folder: choose another --out");
    }
    Path run = Files.createDirectories(dir.resolve("model"));
    copyResource("config.gin", run.resolve("config.gin"));
    copyResource("weights.safetensors", run.resolve("weights.safetensors"));
    Path input = dir.resolve("input.wav");
    copyResource("tabla.wav", input);
    try (RaveModel model = ModelLoader.load(run)) {
      AudioClip clip = WavFile.read(input);
      OfflineCodec codec = new OfflineCodec(model, Device.CPU);
      long t0 = System.nanoTime();
      float[][] y = codec.forward(clip.channels(), OfflineCodec.Mode.DETERMINISTIC);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Path output = dir.resolve("reconstruction.wav");
      WavFile.write(output, new AudioClip(clip.sampleRate(), y));
      System.out.printf("jrave demo: reconstructed %.1f s of audio through %s (%,d parameters) in %.2f s%n",
          clip.durationSeconds(), model.config().name(), model.parameterCount(), seconds);
      System.out.println("  input:          " + input);
      System.out.println("  model:          " + run + " (config.gin + weights.safetensors)");
      System.out.println("  reconstruction: " + output);
      System.out.println("Everything is in " + dir);
    }
    return 0;
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
