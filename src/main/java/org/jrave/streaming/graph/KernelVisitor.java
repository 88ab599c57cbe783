package org.jrave.streaming.graph;

import org.jrave.engine.Module;

/**
 * What a {@link BlockGraph} computes, kernel by kernel in run order, for code that writes the same
 * computation in another form (an export). Every input is a {@link Signal} read {@code delay}
 * samples before its block's head; weights come as float32 rows whatever the graph's precision.
 */
public interface KernelVisitor {

  /**
   * A convolution-like layer ({@link ConvShape}): output row {@code q} reads the window of
   * {@code in} that starts {@code shape.readOffset()} samples before its head; {@code rows} are
   * {@code [outRows][inChannels / groups][kernel]}, {@code bias} per output channel or null. With
   * {@code silenceBeforeStart}, input samples of stream index below {@code in.lag()} read as zeros.
   */
  void convolution(Signal in, Signal out, ConvShape shape, float[] rows, float[] bias, boolean silenceBeforeStart);

  void leakyRelu(Signal in, int delay, Signal out, float slope);

  void snake(Signal in, int delay, Signal out, float[] alpha);

  void affine(Signal in, int delay, Signal out, float[] scale, float[] shift);

  void add(Signal a, int delayA, Signal b, int delayB, Signal out);

  void delay(Signal in, int delay, Signal out);

  /** {@code tanh(wave * sigmoid(amp) + noise)} ({@code [wave | amp]} rows when modulated); noise may be null. */
  void waveOutput(Signal wave, int waveDelay, Signal noise, int noiseDelay, Signal out, boolean modulated);

  /** {@code tanh(wave) * modsigmoid(loudness) (+ noise)}; noise may be null. */
  void loudnessOutput(Signal wave, int waveDelay, Signal loudness, int loudnessDelay, Signal noise, int noiseDelay,
      Signal out);

  /** Odd bands ({@code channel % bands} odd) negated at even stream frames (frame = sample index minus lag). */
  void alternatingSign(Signal in, Signal out, int bands);

  /**
   * Filtered noise: {@code response} is {@code [frameLength][noiseBands]}; feature row
   * {@code b * noiseBands + i} is band b's magnitude bin i; draws are {@code [frames][bands][frameLength]}.
   */
  void filteredNoise(Signal features, Signal out, int bands, int noiseBands, int frameLength, float[][] response);

  /** A layer the graph runs through its own tensor code (no kernel of its own). */
  void bridge(String name, Signal in, Signal out);

  /**
   * The same with the layer's module, for exports that write its computation themselves (what a
   * bridged kernel calls); by default {@link #bridge(String, Signal, Signal)}.
   */
  default void bridge(String name, Module layer, Signal in, Signal out) {
    bridge(name, in, out);
  }
}
