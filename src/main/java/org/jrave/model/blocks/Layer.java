package org.jrave.model.blocks;

import org.jrave.engine.Module;
import org.jrave.engine.Tensor;

/** A module that maps one {@code [batch, channels, time]} tensor to another. */
public abstract class Layer extends Module {
  public abstract Tensor forward(Tensor x);
}
