package org.jrave.model.blocks;

import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * A 1-D convolution with explicit (possibly asymmetric) zero padding, an optional bias and an
 * optional weight normalisation. Parameter names follow PyTorch: {@code weight} or
 * {@code weight_g}/{@code weight_v}, and {@code bias}.
 */
public final class Conv1d extends ConvLayer {

  /** Shape and options of a convolution. */
  public record Spec(
      int inChannels, int outChannels, int kernel, int stride, int dilation, int groups,
      Padding padding, boolean bias, boolean weightNorm, boolean streamAligned) {

    public static Spec of(int in, int out, int kernel) {
      return new Spec(in, out, kernel, 1, 1, 1, Padding.NONE, false, false, true);
    }

    /**
     * Without stride alignment in streaming: the strided convolution decimates its stream at the
     * phase the reference's v2 noise generator uses, instead of inserting the delay that keeps the
     * offline phase. Only for reproducing that reference behaviour.
     */
    public Spec streamAligned(boolean aligned) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, padding, bias, weightNorm, aligned);
    }

    public Spec stride(int s) {
      return new Spec(inChannels, outChannels, kernel, s, dilation, groups, padding, bias, weightNorm, streamAligned);
    }

    public Spec dilation(int d) {
      return new Spec(inChannels, outChannels, kernel, stride, d, groups, padding, bias, weightNorm, streamAligned);
    }

    public Spec groups(int g) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, g, padding, bias, weightNorm, streamAligned);
    }

    public Spec padding(Padding p) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, p, bias, weightNorm, streamAligned);
    }

    /** Padding from the reference's rule for this kernel and dilation. */
    public Spec padding(PaddingMode mode) {
      return padding(Padding.of(kernel, dilation, mode));
    }

    public Spec bias(boolean b) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, padding, b, weightNorm, streamAligned);
    }

    public Spec weightNorm(boolean wn) {
      return new Spec(inChannels, outChannels, kernel, stride, dilation, groups, padding, bias, wn, streamAligned);
    }
  }

  private final Spec spec;

  public Conv1d(Spec spec) {
    super(new long[] {spec.outChannels(), spec.inChannels() / spec.groups(), spec.kernel()},
        (long) spec.inChannels() / spec.groups() * spec.kernel(), spec.weightNorm(), spec.bias() ? spec.outChannels() : 0);
    this.spec = spec;
  }

  public Spec spec() {
    return spec;
  }

  @Override
  public Tensor forward(Tensor x) {
    // Explicit padding, then an unpadded convolution: libtorch's own padding argument sends some
    // shapes to a much slower kernel (96 channels x 27648 samples: 116 ms instead of 10.5 ms).
    // Converted before padding, so that a lower precision also halves the copy.
    Tensor input = computeInput(x);
    Tensor padded = input.padLast(spec.padding().left(), spec.padding().right());
    Tensor y = convolve(padded);
    // Copies are dead once convolved (autograd holds its own reference when it needs one): freeing
    // them now lets the next layer reuse their memory instead of faulting in fresh pages.
    if (padded != input) {
      padded.close();
    }
    if (input != x) {
      input.close();
    }
    return y;
  }

  /**
   * A strided convolution's stream is delayed until (right padding + lag) is a multiple of the
   * stride, so that it keeps the offline decimation phase (see {@link GraphBuilder#conv1d}).
   */
  @Override
  public int streamLag(int inputLag) {
    return GraphBuilder.convolutionLag(inputLag, spec.stride(), spec.padding(), spec.streamAligned());
  }

  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    return g.conv1d("conv", x, weight(), biasOrNull(), spec.stride(), spec.dilation(), spec.groups(), spec.padding(),
        spec.streamAligned());
  }

  /** The convolution itself on input that is already padded (in the module's precision). */
  public Tensor convolve(Tensor padded) {
    Tensor input = computeInput(padded);
    Tensor y = input.conv1d(weight(), computeBias(), spec.stride(), spec.dilation(), spec.groups());
    if (input != padded) {
      input.close();
    }
    return y;
  }
}
