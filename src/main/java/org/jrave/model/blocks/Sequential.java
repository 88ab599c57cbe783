package org.jrave.model.blocks;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * Layers applied in order, named {@code 0, 1, 2, ...} like PyTorch's {@code nn.Sequential} so that
 * state-dict keys keep the reference's indices (parameter-free layers still take an index).
 */
public final class Sequential extends Layer {
  private final List<Layer> layers = new ArrayList<>();

  public Sequential add(Layer layer) {
    addChild(Integer.toString(layers.size()), layer);
    layers.add(layer);
    return this;
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  public int size() {
    return layers.size();
  }

  @Override
  public int streamLag(int inputLag) {
    int lag = inputLag;
    for (Layer layer : layers) {
      lag = layer.streamLag(lag);
    }
    return lag;
  }

  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    Signal h = x;
    for (Layer layer : layers) {
      h = layer.lower(g, h);
    }
    return h;
  }

  /**
   * Frees each intermediate as soon as the next layer has consumed it, as Python's reference
   * counting does, instead of when the enclosing scope closes: a deep network then reuses a few
   * buffers that stay in cache rather than touching fresh memory at every layer. Autograd keeps
   * what it saved for the backward pass through its own references.
   */
  @Override
  public Tensor forward(Tensor x) {
    Tensor h = x;
    Layer previous = null;
    for (Layer layer : layers) {
      Tensor next = layer instanceof LeakyRelu leaky && overwritable(previous, h, x)
          ? leaky.forwardOverwriting(h)
          : layer.forward(h);
      if (h != x && next != h) {
        h.close();
      }
      h = next;
      previous = layer;
    }
    return h;
  }

  /**
   * Whether an activation may write its result over its input {@code h}: a fresh, whole tensor
   * that only it reads, produced by a convolution or a residual sum (neither keeps its output for
   * the backward pass). Autograd then holds one buffer where it held two.
   */
  private static boolean overwritable(Layer previous, Tensor h, Tensor x) {
    return h != x && (previous instanceof ConvLayer || previous instanceof Residual) && !h.isView();
  }
}
