package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;

/**
 * Multi-scale discriminator (spec 4.2): 1-D ConvNets (kernel 15, stride 4, 4 layers), the i-th
 * seeing the input average-pooled i times by 2.
 */
public final class MultiScaleDiscriminator extends Discriminator {

  private final List<ConvNet> nets = new ArrayList<>();

  public MultiScaleDiscriminator(int scales, int channels, int capacity) {
    for (int i = 0; i < scales; i++) {
      nets.add(addChild("layers." + i, new ConvNet(new ConvNet.Spec(channels, 1, capacity, 4, 15, 4), true)));
    }
  }

  @Override
  public int scaleCount() {
    return nets.size();
  }

  @Override
  public List<Tensor> scale(int index, Tensor audio) {
    Tensor x = audio;
    for (int i = 0; i < index; i++) {
      Tensor pooled = x.avgPool1d(2, 2);
      if (x != audio) {
        x.close();
      }
      x = pooled;
    }
    return nets.get(index).features(x);
  }
}
