package org.jrave.model.v1;

import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.model.Decoder;
import org.jrave.model.blocks.Branches;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.ModSigmoid;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.config.GeneratorV1Config;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * The v1 decoder. {@code net}: conv k7 to {@code 2^L capacity} channels, then per ratio (encoder
 * order, not reversed) an {@link UpsampleLayer} halving the channels and a {@link ResidualStack}.
 * {@code synth}: parallel branches on the final features (no activation before them) — waveform
 * conv k7, loudness conv and the optional {@link NoiseGenerator}. Output
 * {@code tanh(wave) * mod_sigmoid(loudness)}, plus the noise once {@code warmed_up} (training
 * phase 2) — before that the noise branch is not used.
 */
public final class GeneratorV1 extends Layer implements Decoder {
  private static final int KERNEL = 7;

  private final Parameter warmedUp;
  private final Sequential net;
  private final Conv1d waveform;
  private final Conv1d loudness;
  private final NoiseGenerator noise;
  private final int loudStride;

  public GeneratorV1(GeneratorV1Config c, PaddingMode mode) {
    this.loudStride = c.loudStride();
    this.warmedUp = addBuffer("warmed_up", Tensor.fromLongs(new long[] {0}, 1));
    this.net = addChild("net", new Sequential());
    int channels = (1 << c.ratios().size()) * c.capacity();
    net.add(new Conv1d(Conv1d.Spec.of(c.latentInputSize(), channels, KERNEL).padding(mode).weightNorm(true)));
    for (int r : c.ratios()) {
      int next = channels / 2;
      net.add(new UpsampleLayer(channels, next, r, mode));
      net.add(new ResidualStack(next, c.residualKernels(), c.residualDilations(), mode));
      channels = next;
    }
    Branches synth = addChild("synth", new Branches());
    this.waveform = new Conv1d(Conv1d.Spec.of(channels, c.outputChannels(), KERNEL).padding(mode).weightNorm(true));
    this.loudness = new Conv1d(Conv1d.Spec.of(channels, 1, 2 * loudStride + 1)
        .stride(loudStride).padding(mode).weightNorm(true));
    synth.add(waveform).add(loudness);
    this.noise = c.noise() == null ? null : new NoiseGenerator(channels, c.outputChannels(), c.noise(), mode);
    if (noise != null) {
      synth.add(noise);
    }
  }

  public Sequential net() {
    return net;
  }

  public NoiseGenerator noiseModule() {
    return noise;
  }

  public boolean warmedUp() {
    return warmedUp.value().toLongArray()[0] != 0;
  }

  @Override
  public void setWarmedUp(boolean on) {
    warmedUp.value().fillInPlace(on ? 1 : 0);
  }

  @Override
  public Tensor forward(Tensor z) {
    return forward(z, NoiseSource.RANDOM);
  }

  @Override
  public Tensor decode(Tensor z, NoiseSource noiseSource) {
    return forward(z, noiseSource);
  }

  public Tensor forward(Tensor z, NoiseSource noiseSource) {
    Tensor h = net.forward(z);
    Tensor y = waveform.forward(h).tanh().mul(stretch(ModSigmoid.apply(loudness.forward(h))));
    if (noise != null && warmedUp()) {
      y = y.add(noise.forward(h, noiseSource));
    }
    return y;
  }

  /** Streaming: the synthesis branches are delayed to the slowest so that they line up. */
  @Override
  public int streamLag(int inputLag) {
    requireStreamable();
    int hidden = net.streamLag(inputLag);
    int wave = waveform.streamLag(hidden);
    int loud = loudness.streamLag(hidden);
    int noiseLag = noise == null ? wave : noise.streamLag(hidden);
    return Math.max(wave, Math.max(loud, noiseLag));
  }

  private void requireStreamable() {
    if (loudStride != 1) {
      throw new UnsupportedOperationException("streaming needs a loudness stride of 1, this model has " + loudStride);
    }
  }

  /** Waveform, loudness and (once warmed up) noise, aligned on the slowest of them. */
  @Override
  public Signal lowerDecoder(GraphBuilder g, Signal z) {
    requireStreamable();
    Signal h = net.lower(g, z);
    Signal wave = waveform.lower(g, h);
    Signal loud = loudness.lower(g, h);
    if (noise != null && !warmedUp()) {
      // The noise is not heard before phase 2, but the output keeps the lag it would have with it.
      int noiseLag = noise.streamLag(h.lag());
      Signal out = g.loudnessOutput(wave, loud, null);
      return g.delay("align", out, Math.max(out.lag(), noiseLag));
    }
    Signal noiseSignal = noise == null ? null : noise.lower(g, h);
    return g.loudnessOutput(wave, loud, noiseSignal);
  }


  /** Repeats every loudness frame {@code loudStride} times along time. */
  private Tensor stretch(Tensor loud) {
    if (loudStride == 1) {
      return loud;
    }
    long b = loud.size(0);
    long frames = loud.size(2);
    return loud.unsqueeze(3).expand(b, 1, frames, loudStride).reshape(b, 1, frames * loudStride);
  }
}
