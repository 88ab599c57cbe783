package org.jrave.model.blocks;

import org.jrave.engine.Module;
import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * A module that maps one {@code [batch, channels, time]} tensor to another, offline (the whole
 * signal at once) or streaming, block by block, on the block engine.
 *
 * <p>Streaming contract: {@link #streamLag} tells by how many samples the layer's output stream
 * runs behind the offline output when its input stream runs {@code inputLag} samples behind, and
 * {@link #lower} describes the layer's step to the block engine ({@link GraphBuilder}), whose output
 * signal must have exactly that lag. Layers without temporal context implement {@link Pointwise} and
 * need neither: they run through their offline {@link #forward} on each block.
 */
public abstract class Layer extends Module {

  public abstract Tensor forward(Tensor x);

  /** Marks layers whose output at time t depends only on the input at time t. */
  public interface Pointwise {}

  /** The output stream's lag (in output samples) for an input stream lagging by {@code inputLag}. */
  public int streamLag(int inputLag) {
    requirePointwise();
    return inputLag;
  }

  /**
   * Describes this layer to the block engine ({@link GraphBuilder}) for input {@code x}; returns
   * its output signal. Layers with a kernel of their own override this; a {@link Pointwise} layer
   * without one runs its offline {@link #forward} on each block.
   */
  public Signal lower(GraphBuilder g, Signal x) {
    requirePointwise();
    return g.pointwise(getClass().getSimpleName(), x, this, this::forward);
  }

  private void requirePointwise() {
    if (!(this instanceof Pointwise)) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " has no streaming form");
    }
  }
}
