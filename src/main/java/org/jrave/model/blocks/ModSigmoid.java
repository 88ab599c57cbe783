package org.jrave.model.blocks;

import org.jrave.engine.Tensor;

/** RAVE's amplitude non-linearity {@code 2 sigmoid(x)^2.3 + 1e-7} (loudness and noise amplitudes). */
public final class ModSigmoid {
  private ModSigmoid() {}

  public static Tensor apply(Tensor x) {
    return x.sigmoid().pow(2.3).mul(2).add(1e-7);
  }
}
