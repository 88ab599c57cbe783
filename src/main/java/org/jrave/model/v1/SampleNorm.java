package org.jrave.model.v1;

import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Layer;

/** Scales every frame to unit L2 norm over channels: the v1 encoder's alternative to batch norm. */
public final class SampleNorm extends Layer implements Layer.Pointwise {
  @Override
  public Tensor forward(Tensor x) {
    return x.div(x.square().sum(1, true).sqrt());
  }
}
