package org.jrave.streaming.graph;

import org.jrave.engine.Device;
import org.jrave.engine.NativeRandom;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.noise.NoiseSource;

/**
 * RAVE's filtered noise, frame by frame: each frame's features become per-band magnitudes
 * ({@code modsigmoid(features - 5)}), the magnitudes an impulse response (a fixed linear map,
 * precomputed), and {@code frameLength} uniform draws in [-1, 1] are convolved causally with it.
 * The draws come from the graph's {@link NoiseSource}: torch's generator through a preallocated
 * buffer for {@link NoiseSource#RANDOM} (the numbers the layer's tensor code would draw; no
 * allocation), none for {@link NoiseSource#SILENT} (the noise is then exactly zero), the source
 * itself for any other (recorded draws, tests).
 */
final class FilteredNoiseKernel implements Kernel {
  private final String name;
  private final Signal features;
  private final Signal out;
  private final int bands;
  private final int noiseBands;
  private final int frameLength;
  private final float[][] response;
  private final GraphBuilder.NoiseSetting noise;
  private final NativeRandom random;
  private final float[] magnitudes;
  private final float[] ir;
  private final float[] draws;

  FilteredNoiseKernel(String name, Signal features, Signal out, int bands, int noiseBands, int frameLength,
      float[][] response, GraphBuilder.NoiseSetting noise) {
    if (features.channels() != bands * noiseBands || out.channels() != bands
        || out.block() != features.block() * frameLength) {
      throw new IllegalArgumentException(name + ": " + features + " does not make " + out);
    }
    this.name = name;
    this.features = features;
    this.out = out;
    this.bands = bands;
    this.noiseBands = noiseBands;
    this.frameLength = frameLength;
    this.response = response;
    this.noise = noise;
    this.magnitudes = new float[noiseBands];
    this.ir = new float[frameLength];
    this.draws = new float[features.block() * bands * frameLength];
    this.random = new NativeRandom(draws.length);
  }

  @Override
  public void accept(KernelVisitor visitor) {
    visitor.filteredNoise(features, out, bands, noiseBands, frameLength, response);
  }

  @Override
  public void close() {
    random.close();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void run(Workers workers) {
    NoiseSource source = noise.get();
    int frames = features.block();
    if (source == NoiseSource.SILENT) {
      for (int b = 0; b < bands; b++) {
        java.util.Arrays.fill(out.data(), out.blockStart(b), out.blockStart(b) + out.block(), 0f);
      }
      return;
    }
    draw(source, frames);
    float[] x = features.data();
    float[] y = out.data();
    for (int f = 0; f < frames; f++) {
      for (int b = 0; b < bands; b++) {
        for (int i = 0; i < noiseBands; i++) {
          double s = 1 / (1 + StrictMath.exp(-(x[features.blockStart(b * noiseBands + i) + f] - 5)));
          magnitudes[i] = (float) RowKernel.scaledPower(s);
        }
        for (int t = 0; t < frameLength; t++) {
          float sum = 0;
          float[] row = response[t];
          for (int i = 0; i < noiseBands; i++) {
            sum += row[i] * magnitudes[i];
          }
          ir[t] = sum;
        }
        int u0 = (f * bands + b) * frameLength;
        int y0 = out.blockStart(b) + f * frameLength;
        for (int m = 0; m < frameLength; m++) {
          float sum = 0;
          for (int j = 0; j <= m; j++) {
            sum += draws[u0 + j] * ir[m - j];
          }
          y[y0 + m] = sum;
        }
      }
    }
  }

  /** Uniform draws in [-1, 1], laid out {@code [frames][bands][frameLength]} as the layer draws them. */
  private void draw(NoiseSource source, int frames) {
    if (source == NoiseSource.RANDOM) {
      random.uniform(draws);
    } else {
      try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
        Tensor u = source.uniform(Device.CPU, 1, frames, bands, frameLength);
        u.copyInto(draws, 0);
      }
    }
    for (int i = 0; i < draws.length; i++) {
      draws[i] = draws[i] * 2 - 1;
    }
  }

  @Override
  public String toString() {
    return name + " filtered noise " + bands + " x " + noiseBands + " -> " + frameLength + " per frame";
  }
}
