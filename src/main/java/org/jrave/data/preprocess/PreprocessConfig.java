package org.jrave.data.preprocess;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jrave.audio.ChannelMode;

/** Everything {@code jrave preprocess} needs; immutable. */
public record PreprocessConfig(
    List<Path> inputs,
    Path output,
    int sampleRate,
    int channels,
    ChannelMode channelMode,
    int numSignal,
    boolean lazy,
    int threads,
    Set<String> extensions,
    long mapSizeBytes) {

  public static final long DEFAULT_MAP_SIZE = 100L << 30;

  public PreprocessConfig {
    inputs = List.copyOf(inputs);
    extensions = Set.copyOf(extensions);
    if (sampleRate < 1000 || channels < 1 || numSignal < 1 || threads < 1) {
      throw new IllegalArgumentException("sample rate, channels, num-signal and threads must be positive");
    }
  }

  public static PreprocessConfig of(List<Path> inputs, Path output, int sampleRate, int channels) {
    return new PreprocessConfig(inputs, output, sampleRate, channels, ChannelMode.DOWNMIX, 131072, false,
        Runtime.getRuntime().availableProcessors(), AudioFiles.DEFAULT_EXTENSIONS, DEFAULT_MAP_SIZE);
  }

  public PreprocessConfig withNumSignal(int n) {
    return new PreprocessConfig(inputs, output, sampleRate, channels, channelMode, n, lazy, threads, extensions, mapSizeBytes);
  }

  public PreprocessConfig withLazy(boolean l) {
    return new PreprocessConfig(inputs, output, sampleRate, channels, channelMode, numSignal, l, threads, extensions, mapSizeBytes);
  }

  public PreprocessConfig withThreads(int t) {
    return new PreprocessConfig(inputs, output, sampleRate, channels, channelMode, numSignal, lazy, t, extensions, mapSizeBytes);
  }

  public PreprocessConfig withChannelMode(ChannelMode m) {
    return new PreprocessConfig(inputs, output, sampleRate, channels, m, numSignal, lazy, threads, extensions, mapSizeBytes);
  }

  /** Frames per channel in one record: twice the training crop, like the reference. */
  public int recordFrames() {
    return 2 * numSignal;
  }
}
