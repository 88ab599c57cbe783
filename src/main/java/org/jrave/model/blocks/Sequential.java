package org.jrave.model.blocks;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.streaming.StreamState;

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
  public int prepareStreaming(int inputDelay, StreamState state) {
    int delay = inputDelay;
    for (Layer layer : layers) {
      delay = layer.prepareStreaming(delay, state);
    }
    return delay;
  }

  @Override
  public Tensor forwardStreaming(Tensor x, StreamState state) {
    Tensor h = x;
    for (Layer layer : layers) {
      h = layer.forwardStreaming(h, state);
    }
    return h;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = x;
    for (Layer layer : layers) {
      h = layer.forward(h);
    }
    return h;
  }
}
