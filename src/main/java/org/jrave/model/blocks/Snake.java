package org.jrave.model.blocks;

import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/** Snake activation {@code x + sin^2(alpha x) / (alpha + 1e-9)} with a learnt alpha per channel. */
public final class Snake extends Layer implements Layer.Pointwise {
  private final org.jrave.engine.Parameter alpha;

  public Snake(int channels) {
    this.alpha = addParameter("alpha", Tensor.ones(channels, 1));
  }

  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    return g.snake("snake", x, alpha.value());
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor a = alpha.value();
    return x.add(a.mul(x).sin().square().div(a.add(1e-9)));
  }
}
