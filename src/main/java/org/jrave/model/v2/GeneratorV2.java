package org.jrave.model.v2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.DilatedUnit;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * The v2-family decoder: conv k, then per reversed stage an activation, a transposed conv (kernel 2r,
 * stride r, padding r/2) and residual dilated units, then an activation and the waveform conv
 * (k = 2k+1). With amplitude modulation the waveform conv gives {@code [wave | amp]} and the output
 * is {@code tanh(wave * sigmoid(amp) + noise)}.
 */
public final class GeneratorV2 extends Layer implements org.jrave.model.Decoder {
  private final Sequential net;
  private final Conv1d waveform;
  private final NoiseGeneratorV2 noise;
  private final boolean amplitudeModulation;

  public GeneratorV2(GeneratorV2Config c, PaddingMode mode, AdaInFactory adain) {
    this.amplitudeModulation = c.amplitudeModulation();
    this.net = addChild("net", new Sequential());
    List<Integer> ratios = new ArrayList<>(c.ratios());
    Collections.reverse(ratios);
    List<List<Integer>> dilations = new ArrayList<>(c.dilations());
    Collections.reverse(dilations);
    int channels = c.keepDim()
        ? c.ratios().stream().reduce(1, (a, b) -> a * b) * c.capacity()
        : (1 << ratios.size()) * c.capacity();
    net.add(new Conv1d(Conv1d.Spec.of(c.latentInputSize(), channels, c.kernel()).padding(mode).weightNorm(true)));
    for (int stage = 0; stage < ratios.size(); stage++) {
      int r = ratios.get(stage);
      int next = c.keepDim() ? channels / r : channels / 2;
      net.add(c.activation().create(channels));
      net.add(new ConvTranspose1d(channels, next, 2 * r, r, r / 2, false, true));
      channels = next;
      for (int d : dilations.get(stage)) {
        if (c.adain()) {
          net.add(adain.create(channels));
        }
        net.add(new Residual(new DilatedUnit(channels, c.kernel(), d, mode)));
      }
    }
    net.add(c.activation().create(channels));
    int waveChannels = c.outputChannels() * (c.amplitudeModulation() ? 2 : 1);
    Conv1d waveConv = new Conv1d(Conv1d.Spec.of(channels, waveChannels, 2 * c.kernel() + 1)
        .padding(mode).weightNorm(true));
    if (c.noise() != null) {
      this.waveform = addChild("waveform_module", waveConv);
      this.noise = addChild("noise_module",
          new NoiseGeneratorV2(channels, c.outputChannels(), c.noise(), c.activation(), mode));
    } else {
      net.add(waveConv);
      this.waveform = null;
      this.noise = null;
    }
  }

  public Sequential net() {
    return net;
  }

  /** The waveform conv when it is separate from {@code net} (models with a noise branch). */
  public Conv1d waveformModule() {
    return waveform;
  }

  public NoiseGeneratorV2 noiseModule() {
    return noise;
  }

  @Override
  public Tensor forward(Tensor z) {
    return forward(z, NoiseSource.RANDOM);
  }

  @Override
  public Tensor decode(Tensor z, NoiseSource noise) {
    return forward(z, noise);
  }

  public Tensor forward(Tensor z, NoiseSource noiseSource) {
    Tensor h = net.forward(z);
    Tensor x = waveform != null ? waveform.forward(h) : h;
    return synthesize(x, noise == null ? null : noise.forward(h, noiseSource));
  }

  /** The waveform path's lag: the noise is added unaligned (see {@link #lowerDecoder}). */
  @Override
  public int streamLag(int inputLag) {
    int hidden = net.streamLag(inputLag);
    return waveform != null ? waveform.streamLag(hidden) : hidden;
  }

  /**
   * The noise is added as it comes, not aligned with the waveform (its frames cannot align with
   * the waveform's lag; the reference streams it the same way): the output keeps the waveform's lag.
   */
  @Override
  public Signal lowerDecoder(GraphBuilder g, Signal z) {
    Signal h = net.lower(g, z);
    Signal wave = waveform != null ? waveform.lower(g, h) : h;
    Signal noiseSignal = noise == null ? null : noise.lower(g, h);
    return g.waveOutput(wave, noiseSignal, amplitudeModulation);
  }

  /** Amplitude modulation, noise and tanh on the waveform conv's output. */
  private Tensor synthesize(Tensor wave, Tensor noiseSignal) {
    Tensor x = wave;
    if (amplitudeModulation) {
      long half = x.size(1) / 2;
      x = x.narrow(1, 0, half).mul(x.narrow(1, half, half).sigmoid());
    }
    if (noiseSignal != null) {
      x = x.add(noiseSignal);
    }
    return x.tanh();
  }
}
