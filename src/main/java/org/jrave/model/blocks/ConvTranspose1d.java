package org.jrave.model.blocks;

import org.jrave.engine.Tensor;
import org.jrave.streaming.StreamState;

/**
 * A transposed 1-D convolution (PyTorch semantics: weights {@code [in, out, k]}, output length
 * {@code (T - 1) * stride - 2 * padding + k}), optionally weight-normalised per input channel.
 */
public final class ConvTranspose1d extends Layer {

  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final ConvWeight weight;
  private final org.jrave.engine.Parameter bias;

  public ConvTranspose1d(int in, int out, int kernel, int stride, int padding, boolean bias, boolean weightNorm) {
    this.inChannels = in;
    this.outChannels = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    long[] shape = {in, out, kernel};
    // PyTorch's fan-in for transposed convolutions is weight.size(1) * kernel.
    double bound = 1.0 / Math.sqrt((double) out * kernel);
    Tensor init = Initialization.uniform(bound, shape);
    if (weightNorm) {
      this.weight = ConvWeight.normalized(
          addParameter("weight_g", init.normExceptDim(0)), addParameter("weight_v", init));
    } else {
      this.weight = ConvWeight.plain(addParameter("weight", init));
    }
    this.bias = bias ? addParameter("bias", Initialization.uniform(bound, out)) : null;
  }

  public int stride() {
    return stride;
  }

  public int padding() {
    return padding;
  }

  public int kernel() {
    return kernel;
  }

  public int inChannels() {
    return inChannels;
  }

  public int outChannels() {
    return outChannels;
  }

  @Override
  public Tensor forward(Tensor x) {
    return x.convTranspose1d(weight.get(isTraining()), biasOrNull(), stride, padding);
  }

  /** The output is the offline output delayed by the cropped padding. */
  @Override
  public int prepareStreaming(int inputDelay, StreamState state) {
    state.setPlan(this, inputDelay);
    return padding + inputDelay * stride;
  }

  /**
   * The full transposed convolution of the block; its last {@code kernel - stride} samples overlap
   * the next block's output, so they are carried over and added there.
   */
  @Override
  public Tensor forwardStreaming(Tensor x, StreamState state) {
    int inputDelay = state.plan(this);
    Tensor input = state.silenceBeforeStart(this, x, inputDelay);
    Tensor full = input.convTranspose1d(weight.get(isTraining()), null, stride, 0);
    Tensor out = state.overlapAdd(this, "overlap", full, kernel - stride);
    Tensor b = biasOrNull();
    return b == null ? out : out.add(b.reshape(1, -1, 1));
  }

  public Tensor biasOrNull() {
    return bias == null ? null : bias.value();
  }

  @Override
  protected void onWeightsChanged() {
    weight.invalidate();
  }

  @Override
  protected void onModeChanged() {
    weight.invalidate();
  }

  @Override
  public void close() {
    weight.close();
    super.close();
  }
}
