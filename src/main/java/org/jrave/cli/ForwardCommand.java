package org.jrave.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioClip;
import org.jrave.inference.AudioCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrave forward}: reconstruct an audio file through the model (encode then decode). */
@Command(name = "forward", mixinStandardHelpOptions = true,
    description = "Encode and decode a WAV file; the output has the input's length (with --stream: the latency removed unless --keep-latency).")
public final class ForwardCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;
  @Mixin StreamOptions stream;
  @Mixin PrecisionOption precision;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "AUDIO", description = "input WAV at the model's rate")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "AUDIO", description = "output WAV (32-bit float)")
  Path output;

  @Option(names = "--deterministic", description = "posterior mean and silent noise: the same output on every run")
  boolean deterministic;

  @Override
  public Integer call() {
    stream.requireStreamForKeepLatency();
    try (AudioCodec codec = precision.loadCodec(modelOptions, stream.streaming())) {
      AudioClip clip = AudioIO.readFor(input, codec);
      float[][] y = Codecs.run(() -> stream.streaming()
          ? stream.codec(codec).forward(clip.channels(), StreamOptions.mode(deterministic))
          : codec.forward(clip.channels(), StreamOptions.mode(deterministic)));
      AudioIO.write(output, new AudioClip(clip.sampleRate(), y));
      System.err.printf("reconstructed %.2f s -> %s%n", clip.durationSeconds(), output);
    }
    return 0;
  }
}
