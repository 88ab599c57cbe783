package org.jrave.model.blocks;

import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * A transposed 1-D convolution (PyTorch semantics: weights {@code [in, out, k]}, output length
 * {@code (T - 1) * stride - 2 * padding + k}), optionally weight-normalised per input channel.
 */
public final class ConvTranspose1d extends ConvLayer {

  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final int padding;

  public ConvTranspose1d(int in, int out, int kernel, int stride, int padding, boolean bias, boolean weightNorm) {
    // PyTorch's fan-in for transposed convolutions is weight.size(1) * kernel.
    super(new long[] {in, out, kernel}, (long) out * kernel, weightNorm, bias ? out : 0);
    this.inChannels = in;
    this.outChannels = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
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
    Tensor input = computeInput(x);
    Tensor y = input.convTranspose1d(weight(), computeBias(), stride, padding);
    if (input != x) {
      input.close();
    }
    return y;
  }

  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    return g.convTranspose1d("convT", x, weight(), biasOrNull(), stride, padding);
  }

  /** The output is the offline output delayed by the cropped padding. */
  @Override
  public int streamLag(int inputLag) {
    return padding + inputLag * stride;
  }
}
