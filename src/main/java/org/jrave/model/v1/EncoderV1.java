package org.jrave.model.v1;

import org.jrave.model.blocks.BatchNorm1d;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.config.EncoderV1Config;

/**
 * The v1 encoder ({@code net}): conv k7, then per stage batch norm, LeakyReLU and a strided conv
 * (kernel 2r+1, stride r) doubling the channels (optionally followed by more unstrided ones), then LeakyReLU and a conv k5 to the latent channels
 * with one group per output part (mean and scale are computed from separate channel halves). Plain
 * convolutions: no weight norm, no bias.
 */
public final class EncoderV1 extends NetLayer<Sequential> {
  private static final int INPUT_KERNEL = 7;
  private static final int OUTPUT_KERNEL = 5;

  public EncoderV1(EncoderV1Config c, PaddingMode mode) {
    super(new Sequential());
    Sequential net = net();
    int channels = c.capacity();
    net.add(new Conv1d(Conv1d.Spec.of(c.inputChannels(), channels, INPUT_KERNEL).padding(mode)));
    for (int r : c.ratios()) {
      int next = channels * 2;
      net.add(norm(c, channels));
      net.add(new LeakyRelu());
      net.add(new Conv1d(Conv1d.Spec.of(channels, next, 2 * r + 1).stride(r).padding(mode)));
      for (int repeat = 1; repeat < c.repeatLayers(); repeat++) {
        net.add(norm(c, next));
        net.add(new LeakyRelu());
        net.add(new Conv1d(Conv1d.Spec.of(next, next, 3).padding(mode)));
      }
      channels = next;
    }
    net.add(new LeakyRelu());
    net.add(new Conv1d(Conv1d.Spec.of(channels, c.latentSize() * c.nOut(), OUTPUT_KERNEL)
        .groups(c.nOut()).padding(mode)));
  }

  private static Layer norm(EncoderV1Config c, int channels) {
    return c.sampleNorm() ? new SampleNorm() : new BatchNorm1d(channels);
  }
}
