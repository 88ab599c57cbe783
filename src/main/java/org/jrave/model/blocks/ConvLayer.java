package org.jrave.model.blocks;

import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * What every convolution shares: a weight stored plainly or weight-normalised ({@link ConvWeight},
 * folded once in eval mode), an optional bias, PyTorch's default initialisation, and keeping the
 * folded weight in step with weight loads and mode changes.
 */
abstract class ConvLayer extends Layer {
  private final ConvWeight weight;
  private final Parameter bias;

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

  /** The weight to use now: tracked by autograd in training, folded and cached in eval. */
  protected final Tensor weight() {
    return weight.get(isTraining());
  }

  /** The bias, or null when the convolution has none. */
  public final Tensor biasOrNull() {
    return bias == null ? null : bias.value();
  }

  @Override
  protected final void onWeightsChanged() {
    weight.invalidate();
  }

  @Override
  protected final void onModeChanged() {
    weight.invalidate();
  }

  @Override
  public void close() {
    weight.close();
    super.close();
  }
}
