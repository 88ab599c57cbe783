package org.jrave.model.blocks;

import org.jrave.engine.Tensor;

/**
 * A 1-D convolution with explicit (possibly asymmetric) zero padding, an optional bias and an
 * optional weight normalisation. Parameter names follow PyTorch: {@code weight} or
 * {@code weight_g}/{@code weight_v}, and {@code bias}.
 */
public final class Conv1d extends Layer {

  /** Shape and options of a convolution. */
  public record Spec(
      int inChannels, int outChannels, int kernel, int stride, int dilation, int groups,
      Padding padding, boolean bias, boolean weightNorm) {

    public static Spec of(int in, int out, int kernel) {
      return new Spec(in, out, kernel, 1, 1, 1, Padding.NONE, false, false);
    }

    public Spec stride(int s) {
      return new Spec(inChannels, outChannels, kernel, s, dilation, groups, padding, bias, weightNorm);
    }

    public Spec dilation(int d) {
      return new Spec(inChannels, outChannels, kernel, stride, d, groups, padding, bias, weightNorm);
    }

    public Spec groups(int g) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, g, padding, bias, weightNorm);
    }

    public Spec padding(Padding p) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, p, bias, weightNorm);
    }

    /** Padding from the reference's rule for this kernel and dilation. */
    public Spec padding(PaddingMode mode) {
      return padding(Padding.of(kernel, dilation, mode));
    }

    public Spec bias(boolean b) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, padding, b, weightNorm);
    }

    public Spec weightNorm(boolean wn) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, padding, bias, wn);
    }
  }

  private final Spec spec;
  private final ConvWeight weight;
  private final org.jrave.engine.Parameter bias;

  public Conv1d(Spec spec) {
    this.spec = spec;
    long[] shape = {spec.outChannels(), spec.inChannels() / spec.groups(), spec.kernel()};
    double bound = 1.0 / Math.sqrt((double) shape[1] * spec.kernel());
    Tensor init = Initialization.uniform(bound, shape);
    if (spec.weightNorm()) {
      this.weight = ConvWeight.normalized(
          addParameter("weight_g", init.normExceptDim(0)), addParameter("weight_v", init));
    } else {
      this.weight = ConvWeight.plain(addParameter("weight", init));
    }
    this.bias = spec.bias() ? addParameter("bias", Initialization.uniform(bound, spec.outChannels())) : null;
  }

  public Spec spec() {
    return spec;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor padded = x.padLast(spec.padding().left(), spec.padding().right());
    return convolve(padded);
  }

  /** The convolution itself on input that is already padded. */
  public Tensor convolve(Tensor padded) {
    return padded.conv1d(weight.get(isTraining()), bias == null ? null : bias.value(), spec.stride(), spec.dilation(), spec.groups());
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
