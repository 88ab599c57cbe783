package org.jrave.model.v2;

import org.jrave.model.blocks.Layer;

/** Makes the instance-normalisation layer inserted before residual units in AdaIN configs. */
@FunctionalInterface
public interface AdaInFactory {
  Layer create(int channels);

  AdaInFactory NONE = channels -> {
    throw new IllegalStateException("this configuration has no AdaIN");
  };
}
