package org.jrave.model.v2;

import java.util.List;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Activation;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.config.NoiseV2Config;
import org.jrave.model.noise.FilteredNoise;
import org.jrave.model.noise.NoiseSource;

/**
 * Filtered-noise branch of the v2 decoder: strided convolutions (kernel 2r, stride r, all padding on
 * the left, no weight norm, no bias) reduce the decoder's last hidden state to one frame per
 * {@code prod(ratios)} samples, giving per band a magnitude response over {@code noiseBands} bins;
 * {@link FilteredNoise} turns those into filtered uniform noise.
 */
public final class NoiseGeneratorV2 extends org.jrave.model.blocks.Layer {
  private final Sequential net;
  private final int dataSize;
  private final int noiseBands;
  private final int targetSize;
  private final Parameter targetSizeBuffer;

  public NoiseGeneratorV2(int inSize, int dataSize, NoiseV2Config c, Activation activation, PaddingMode mode) {
    this.dataSize = dataSize;
    this.noiseBands = c.noiseBands();
    this.targetSize = c.targetSize();
    this.net = addChild("net", new Sequential());
    List<Integer> ratios = c.ratios();
    int channels = inSize;
    for (int i = 0; i < ratios.size(); i++) {
      int r = ratios.get(i);
      boolean last = i == ratios.size() - 1;
      int next = last ? dataSize * noiseBands : c.hiddenSize();
      net.add(new Conv1d(Conv1d.Spec.of(channels, next, 2 * r).stride(r).padding(new Padding(r, 0))
          // The reference streams this branch without stride alignment; so does jrave, to match it
          // (noise frames of 8 samples cannot align with the waveform's delay anyway).
          .streamAligned(false)));
      if (!last) {
        net.add(activation.create(next));
      }
      channels = next;
    }
    this.targetSizeBuffer = addBuffer("target_size", Tensor.fromLongs(new long[] {targetSize}, 1));
  }

  public int targetSize() {
    return targetSize;
  }

  @Override
  public Tensor forward(Tensor hidden) {
    return forward(hidden, NoiseSource.RANDOM);
  }

  @Override
  public int streamLag(int inputLag) {
    return net.streamLag(inputLag) * targetSize;
  }


  public Tensor forward(Tensor hidden, NoiseSource source) {
    return noiseFrom(net.forward(hidden), source);
  }

  /** Describes the noise branch to the block engine: its convolutions, then the filtered noise. */
  public org.jrave.streaming.graph.Signal lower(org.jrave.streaming.graph.GraphBuilder g,
      org.jrave.streaming.graph.Signal hidden) {
    return g.filteredNoise(net.lower(g, hidden), dataSize, noiseBands, targetSize,
        org.jrave.model.noise.FilteredNoise.impulseResponseMatrix(noiseBands, targetSize));
  }

  private Tensor noiseFrom(Tensor features, NoiseSource source) {
    return FilteredNoise.fromFeatures(features, dataSize, noiseBands, targetSize, source);
  }
}
