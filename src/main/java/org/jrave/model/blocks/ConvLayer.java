package org.jrave.model.blocks;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;

/**
 * What every convolution shares: a weight stored plainly or weight-normalised ({@link ConvWeight},
 * folded once in eval mode), an optional bias, PyTorch's default initialisation, and keeping the
 * folded weight in step with weight loads and mode changes.
 */
abstract class ConvLayer extends Layer {
  private final ConvWeight weight;
  private final Parameter bias;
  private Tensor convertedBias;

  /**
   * @param shape the weight's shape ({@code [out, in/groups, k]} or {@code [in, out, k]})
   * @param fanIn PyTorch's fan-in for the initialisation bound {@code 1/sqrt(fanIn)}
   * @param biasSize bias length, or 0 for none
   */
  ConvLayer(long[] shape, long fanIn, boolean weightNorm, int biasSize) {
    double bound = 1.0 / Math.sqrt((double) fanIn);
    Tensor init = Initialization.uniform(bound, shape);
    this.weight = weightNorm
        ? ConvWeight.normalized(addParameter("weight_g", init.normExceptDim(0)), addParameter("weight_v", init))
        : ConvWeight.plain(addParameter("weight", init));
    this.bias = biasSize > 0 ? addParameter("bias", Initialization.uniform(bound, biasSize)) : null;
  }

  /**
   * The weight to use now: tracked by autograd in training; folded, cached and in the module's
   * precision in eval.
   */
  protected final Tensor weight() {
    return weight.get(isTraining(), precision());
  }

  /** The bias, or null when the convolution has none (the float32 parameter). */
  public final Tensor biasOrNull() {
    return bias == null ? null : bias.value();
  }

  /** The bias to convolve with, in the weight's number format (convolutions need one format). */
  protected final Tensor computeBias() {
    if (bias == null || isTraining() || precision() == Precision.FP32) {
      return biasOrNull();
    }
    if (convertedBias == null) {
      try (NoGrad ignored = NoGrad.enter()) {
        convertedBias = bias.value().to(precision()).retain();
      }
    }
    return convertedBias;
  }

  /** {@code x} in the number format of the weight, as the convolution needs it ({@code x} itself if it is). */
  protected final Tensor computeInput(Tensor x) {
    return x.toTypeOf(weight());
  }

  @Override
  protected final void onWeightsChanged() {
    invalidate();
  }

  @Override
  protected final void onModeChanged() {
    invalidate();
  }

  @Override
  protected final void onPrecisionChanged() {
    invalidate();
  }

  private void invalidate() {
    weight.invalidate();
    if (convertedBias != null) {
      convertedBias.close();
      convertedBias = null;
    }
  }

  @Override
  public void close() {
    invalidate();
    weight.close();
    super.close();
  }
}
