package org.jrave.model.blocks;

import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/** LeakyReLU; RAVE uses a negative slope of 0.2 everywhere but the DAC discriminator (0.1). */
public final class LeakyRelu extends Layer implements Layer.Pointwise {
  public static final double RAVE_SLOPE = 0.2;
  private final double slope;

  public LeakyRelu(double slope) {
    this.slope = slope;
  }

  public LeakyRelu() {
    this(RAVE_SLOPE);
  }

  public double slope() {
    return slope;
  }

  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    return g.leakyRelu("leaky_relu", x, (float) slope);
  }

  @Override
  public Tensor forward(Tensor x) {
    return x.leakyRelu(slope);
  }

  /** As {@link #forward}, overwriting {@code x}, whose value nothing else needs any more. */
  public Tensor forwardOverwriting(Tensor x) {
    return x.leakyReluInPlace(slope);
  }
}
