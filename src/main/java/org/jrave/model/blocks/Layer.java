package org.jrave.model.blocks;

import org.jrave.engine.Module;
import org.jrave.engine.Tensor;
import org.jrave.streaming.StreamState;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * A module that maps one {@code [batch, channels, time]} tensor to another, offline (the whole
 * signal at once) or streaming (block by block, remembering what it needs in a {@link StreamState}).
 *
 * <p>Streaming contract: {@link #prepareStreaming} is told by how many samples the incoming stream
 * lags the offline signal and returns the lag of its output; {@link #forwardStreaming} then maps
 * blocks so that the concatenated outputs equal the offline output delayed by that lag. Layers
 * without temporal context implement {@link Pointwise} and need nothing else.
 */
public abstract class Layer extends Module {

  public abstract Tensor forward(Tensor x);

  /** Marks layers whose output at time t depends only on the input at time t. */
  public interface Pointwise {}

  /**
   * Records this layer's streaming plan in {@code state} for an input lagging the offline signal by
   * {@code inputDelay} input samples, and returns the output's lag in output samples.
   */
  public int prepareStreaming(int inputDelay, StreamState state) {
    requirePointwise();
    return inputDelay;
  }

  /**
   * Describes this layer to the block engine ({@link GraphBuilder}) for input {@code x}; returns
   * its output signal. By default the layer runs through its own streaming form
   * ({@link #prepareStreaming}, {@link #forwardStreaming}); layers with a kernel of their own
   * override this.
   */
  public Signal lower(GraphBuilder g, Signal x) {
    return g.bridge(getClass().getSimpleName(), x, this::prepareStreaming, this::forwardStreaming);
  }

  /** Processes one block; see the class comment. */
  public Tensor forwardStreaming(Tensor x, StreamState state) {
    requirePointwise();
    return forward(x);
  }

  private void requirePointwise() {
    if (!(this instanceof Pointwise)) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " has no streaming form");
    }
  }
}
