package org.jrave.model.blocks;

import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * A layer that is one inner network kept at {@code net} (the reference's naming), offline and
 * streaming alike: the many RAVE blocks that only assemble a sequence differ in construction only.
 */
public abstract class NetLayer<L extends Layer> extends Layer {
  private final L net;

  protected NetLayer(L net) {
    this.net = addChild("net", net);
  }

  public L net() {
    return net;
  }

  @Override
  public Tensor forward(Tensor x) {
    return net.forward(x);
  }

  @Override
  public int streamLag(int inputLag) {
    return net.streamLag(inputLag);
  }

  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    return net.lower(g, x);
  }

}
