package org.jrave.model.latent;

import org.jrave.engine.Draws;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Layer;

/**
 * An inner encoder (at {@code encoder}, as in the reference's state dicts) plus the step that turns
 * its raw output into the decoder's latent. In phase 2 of training the encoder is frozen
 * ({@code warmed_up}).
 */
public abstract class LatentEncoder extends Layer {

  /** The latent the decoder gets, and the regularisation term for training (0 when none). */
  public record Reparametrized(Tensor z, Tensor regularization) {}

  private final Layer inner;
  private final Parameter warmedUp;

  protected LatentEncoder(Layer inner) {
    this.warmedUp = addBuffer("warmed_up", Tensor.fromLongs(new long[] {0}, 1));
    this.inner = addChild("encoder", inner);
  }

  public Layer inner() {
    return inner;
  }

  public boolean warmedUp() {
    return warmedUp.value().toLongArray()[0] != 0;
  }

  public void setWarmedUp(boolean on) {
    warmedUp.value().fillInPlace(on ? 1 : 0);
  }

  /** Whether the encoder output is detached once warmed up (frozen encoder in phase 2). */
  protected boolean detachWhenWarmedUp() {
    return true;
  }

  /** Whether training phase 2 freezes this encoder (its output is detached once warmed up). */
  public final boolean frozenWhenWarmedUp() {
    return detachWhenWarmedUp();
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor raw = inner.forward(x);
    return detachWhenWarmedUp() && warmedUp() ? raw.detach() : raw;
  }

  @Override
  public int streamLag(int inputLag) {
    return inner.streamLag(inputLag);
  }

  @Override
  public org.jrave.streaming.graph.Signal lower(org.jrave.streaming.graph.GraphBuilder g,
      org.jrave.streaming.graph.Signal x) {
    return inner.lower(g, x);
  }

  /** Random reparametrisation (sampling, quantisation, projection) of the raw encoder output. */
  public final Reparametrized reparametrize(Tensor raw) {
    return reparametrize(raw, Draws.GLOBAL);
  }

  /** As {@link #reparametrize(Tensor)}, its random draws taken from {@code draws}. */
  public abstract Reparametrized reparametrize(Tensor raw, Draws draws);

  /** The deterministic latent for a raw output (posterior mean, quantised code, projection). */
  public abstract Tensor deterministic(Tensor raw);

  /** Latent channels of the deterministic latent (before any noise augmentation). */
  public abstract int latentSize();
}
