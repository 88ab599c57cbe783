package org.jrave.model.blocks;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;

/**
 * The weight of a convolution, stored either plainly ({@code weight}) or weight-normalised
 * ({@code weight_g}, {@code weight_v}). In eval mode the weight-normed form is folded once into a
 * plain tensor and reused until the weights or the mode change; in another precision than float32
 * the (folded) weight is converted once as well.
 */
final class ConvWeight implements AutoCloseable {
  private final Parameter plain;
  private final Parameter gain;
  private final Parameter direction;
  private Tensor folded;
  private Tensor converted;

  private ConvWeight(Parameter plain, Parameter gain, Parameter direction) {
    this.plain = plain;
    this.gain = gain;
    this.direction = direction;
  }

  static ConvWeight plain(Parameter weight) {
    return new ConvWeight(weight, null, null);
  }

  static ConvWeight normalized(Parameter g, Parameter v) {
    return new ConvWeight(null, g, v);
  }

  /** The weight to convolve with: tracked by autograd in training, folded and cached in eval. */
  Tensor get(boolean training) {
    if (plain != null) {
      return plain.value();
    }
    if (training) {
      return WeightNorm.effectiveWeight(gain.value(), direction.value());
    }
    if (folded == null) {
      try (NoGrad ignored = NoGrad.enter()) {
        folded = WeightNorm.effectiveWeight(gain.value(), direction.value()).contiguous().retain();
      }
    }
    return folded;
  }

  /** The eval-mode weight in {@code precision}, converted once (float32 is {@link #get}'s). */
  Tensor get(boolean training, Precision precision) {
    Tensor w = get(training);
    if (training || precision == Precision.FP32) {
      return w;
    }
    if (converted == null) {
      try (NoGrad ignored = NoGrad.enter()) {
        converted = w.to(precision).contiguous().retain();
      }
    }
    return converted;
  }

  void invalidate() {
    if (folded != null) {
      folded.close();
      folded = null;
    }
    if (converted != null) {
      converted.close();
      converted = null;
    }
  }

  @Override
  public void close() {
    invalidate();
  }
}
