package org.jrave.cli;

import org.jrave.io.WriteFailure;
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

/** {@code jrave encode}: audio file to latent .npy ({@code [latent, frames]}, float32). */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = "Encode a WAV file into a latent .npy array of shape [latent, frames].")
public final class EncodeCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;
  @Mixin StreamOptions stream;
  @Mixin PrecisionOption precision;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "AUDIO", description = "input WAV at the model's rate")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "Z.npy", description = "output latent (.npy)")
  Path output;

  @Option(names = "--deterministic", description = "write the posterior mean instead of a sample")
  boolean deterministic;

  @Option(names = "--raw", description = "write the encoder's raw output (mean and scale: 2x latent channels)")
  boolean raw;

  @Override
  public Integer call() throws IOException {
    stream.requireStreamForKeepLatency();
    try (AudioCodec codec = precision.loadCodec(modelOptions, stream.streaming())) {
      AudioClip clip = AudioIO.readFor(input, codec);
      if (raw && stream.streaming()) {
        throw new UserError("--raw is only available offline (without --stream)");
      }
      float[][] z = Codecs.run(() -> stream.streaming()
          ? stream.codec(codec).encode(clip.channels(), StreamOptions.mode(deterministic))
          : codec.encode(clip.channels(), StreamOptions.mode(deterministic), raw));
      int dims = z.length;
      int frames = z[0].length;
      float[] flat = new float[dims * frames];
      for (int d = 0; d < dims; d++) {
        System.arraycopy(z[d], 0, flat, d * frames, frames);
      }
      try {
        NpyFile.write(output, new NpyArray(new long[] {dims, frames}, flat));
      } catch (IOException e) {
        throw new UserError(WriteFailure.of(output, e).getMessage());
      }
      System.err.printf("encoded %.2f s into %d x %d latent -> %s%n", clip.durationSeconds(), dims, frames, output);
    }
    return 0;
  }
}
