package org.jrave.model.blocks;

import org.jrave.engine.Tensor;

/**
 * Weight normalisation {@code w = g * v / ||v||}, the norm taken over every axis but the first: per
 * output channel for convolutions ({@code [out, in, k]}), per input channel for transposed
 * convolutions ({@code [in, out, k]}).
 */
final class WeightNorm {
  private WeightNorm() {}

  static Tensor effectiveWeight(Tensor g, Tensor v) {
    return v.mul(g.div(v.normExceptDim(0)));
  }
}
