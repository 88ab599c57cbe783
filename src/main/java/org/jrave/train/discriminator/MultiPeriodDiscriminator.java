package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;

/**
 * Multi-period discriminator (spec 4.3): per period p, the signal is zero-padded on the right to a
 * multiple of p and folded to {@code [B, C, T/p, p]}, then a 2-D ConvNet with kernel (5, 1) and
 * stride (4, 1) looks along time within each phase.
 */
public final class MultiPeriodDiscriminator extends Discriminator {

  public static final List<Integer> PERIODS = List.of(2, 3, 5, 7, 11);

  private final List<Integer> periods;
  private final List<ConvNet> nets = new ArrayList<>();

  public MultiPeriodDiscriminator(List<Integer> periods, int channels, int capacity) {
    this.periods = List.copyOf(periods);
    for (int i = 0; i < periods.size(); i++) {
      nets.add(addChild("layers." + i, new ConvNet(new ConvNet.Spec(channels, 1, capacity, 4, 5, 4), false)));
    }
  }

  @Override
  public int scaleCount() {
    return periods.size();
  }

  @Override
  public List<Tensor> scale(int index, Tensor audio) {
    return nets.get(index).periodFeatures(fold(audio, periods.get(index)));
  }

  List<ConvNet> nets() {
    return nets;
  }

  static Tensor fold(Tensor x, int p) {
    long t = x.size(2);
    long pad = (p - t % p) % p;
    Tensor padded = x.padLast(0, pad);
    return padded.reshape(x.size(0), x.size(1), (t + pad) / p, p);
  }
}
