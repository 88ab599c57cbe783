package org.jrave.model.v1;

import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.config.NoiseV1Config;
import org.jrave.model.noise.FilteredNoise;
import org.jrave.model.noise.NoiseSource;

/**
 * Filtered-noise branch of the v1 decoder: plain strided convolutions (kernel 3, stride r, no weight
 * norm, no bias, LeakyReLU between) reduce the features to one frame per {@code prod(ratios)}
 * samples with {@code noiseBands} magnitudes per band; {@link FilteredNoise} turns them into noise.
 */
public final class NoiseGenerator extends Layer {
  private static final int KERNEL = 3;

  private final Sequential net;
  private final int dataSize;
  private final int noiseBands;
  private final int targetSize;

  public NoiseGenerator(int inSize, int dataSize, NoiseV1Config c, PaddingMode mode) {
    this.dataSize = dataSize;
    this.noiseBands = c.noiseBands();
    this.targetSize = c.targetSize();
    this.net = addChild("net", new Sequential());
    List<Integer> ratios = c.ratios();
    for (int i = 0; i < ratios.size(); i++) {
      boolean last = i == ratios.size() - 1;
      int next = last ? dataSize * noiseBands : inSize;
      net.add(new Conv1d(Conv1d.Spec.of(inSize, next, KERNEL).stride(ratios.get(i)).padding(mode)));
      if (!last) {
        net.add(new LeakyRelu());
      }
    }
    addBuffer("target_size", Tensor.fromLongs(new long[] {targetSize}, 1));
  }

  public int targetSize() {
    return targetSize;
  }

  @Override
  public Tensor forward(Tensor hidden) {
    return forward(hidden, NoiseSource.RANDOM);
  }

  public Tensor forward(Tensor hidden, NoiseSource source) {
    return noiseFrom(net.forward(hidden), source);
  }

  /** Streaming: the strided convolutions keep the offline frame phase; the lag is in samples. */
  @Override
  public int streamLag(int inputLag) {
    return net.streamLag(inputLag) * targetSize;
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
