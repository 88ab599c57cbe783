package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioClip;
import org.jrave.inference.AudioCodec;
import org.jrave.io.NpyArray;
import org.jrave.io.NpyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrave decode}: latent .npy to a 32-bit float WAV at the model's rate. */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Decode a latent .npy array ([latent, frames] or [1, latent, frames]) into a WAV file.")
public final class DecodeCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;
  @Mixin StreamOptions stream;
  @Mixin PrecisionOption precision;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "Z.npy", description = "input latent (.npy)")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "AUDIO", description = "output WAV (32-bit float)")
  Path output;

  @Option(names = "--deterministic", description = "silence the decoder's noise generator")
  boolean deterministic;

  @Override
  public Integer call() {
    stream.requireStreamForKeepLatency();
    try (AudioCodec codec = precision.loadCodec(modelOptions, stream.streaming())) {
      float[][] latent = readLatent(codec);
      float[][] audio = Codecs.run(() -> stream.streaming()
          ? stream.codec(codec).decode(latent, StreamOptions.mode(deterministic))
          : codec.decode(latent, StreamOptions.mode(deterministic)));
      AudioClip clip = new AudioClip(codec.sampleRate(), audio);
      AudioIO.write(output, clip);
      System.err.printf("decoded %d frames into %.2f s -> %s%n", latent[0].length, clip.durationSeconds(), output);
    }
    return 0;
  }

  private float[][] readLatent(AudioCodec model) {
    NpyArray array;
    try {
      array = NpyFile.read(input);
    } catch (IOException e) {
      throw new UserError("cannot read " + input + ": " + e.getMessage());
    }
    long[] shape = array.shape();
    if (shape.length == 3 && shape[0] == 1) {
      shape = new long[] {shape[1], shape[2]};
    }
    int expected = Codecs.run(model::latentChannels);
    if (shape.length != 2) {
      throw new UserError(input + " has shape " + java.util.Arrays.toString(array.shape())
          + "; expected [latent, frames] or [1, latent, frames]");
    }
    if (shape[0] != expected) {
      throw new UserError(input + " has " + shape[0] + " latent dimensions but the model's decoder takes " + expected
          + (shape[0] == 2L * expected ? " (this looks like an --raw encoding: encode without --raw)" : ""));
    }
    if (shape[1] < 1) {
      throw new UserError(input + " has no latent frames");
    }
    int dims = (int) shape[0];
    int frames = (int) shape[1];
    float[][] out = new float[dims][frames];
    for (int d = 0; d < dims; d++) {
      System.arraycopy(array.data(), d * frames, out[d], 0, frames);
    }
    return out;
  }
}
