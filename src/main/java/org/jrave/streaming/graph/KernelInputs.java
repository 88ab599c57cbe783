package org.jrave.streaming.graph;

import java.util.ArrayList;
import java.util.List;

/** The signals one kernel reads, as it describes itself to a {@link KernelVisitor}. */
final class KernelInputs implements KernelVisitor {
  private final List<Signal> inputs = new ArrayList<>();

  private KernelInputs() {}

  static List<Signal> of(Kernel kernel) {
    if (kernel instanceof ConvKernel conv) {
      return List.of(conv.input()); // without the copy of the weights its description makes
    }
    KernelInputs v = new KernelInputs();
    kernel.accept(v);
    return v.inputs;
  }

  private void read(Signal... signals) {
    for (Signal s : signals) {
      if (s != null) {
        inputs.add(s);
      }
    }
  }

  @Override
  public void convolution(Signal in, Signal out, ConvShape shape, float[] rows, float[] bias, boolean silenceBeforeStart) {
    read(in);
  }

  @Override
  public void leakyRelu(Signal in, int delay, Signal out, float slope) {
    read(in);
  }

  @Override
  public void snake(Signal in, int delay, Signal out, float[] alpha) {
    read(in);
  }

  @Override
  public void affine(Signal in, int delay, Signal out, float[] scale, float[] shift) {
    read(in);
  }

  @Override
  public void add(Signal a, int delayA, Signal b, int delayB, Signal out) {
    read(a, b);
  }

  @Override
  public void delay(Signal in, int delay, Signal out) {
    read(in);
  }

  @Override
  public void waveOutput(Signal wave, int waveDelay, Signal noise, int noiseDelay, Signal out, boolean modulated) {
    read(wave, noise);
  }

  @Override
  public void loudnessOutput(Signal wave, int waveDelay, Signal loudness, int loudnessDelay, Signal noise,
      int noiseDelay, Signal out) {
    read(wave, loudness, noise);
  }

  @Override
  public void alternatingSign(Signal in, Signal out, int bands) {
    read(in);
  }

  @Override
  public void filteredNoise(Signal features, Signal out, int bands, int noiseBands, int frameLength,
      float[][] response) {
    read(features);
  }

  @Override
  public void bridge(String name, Signal in, Signal out) {
    read(in);
  }
}
