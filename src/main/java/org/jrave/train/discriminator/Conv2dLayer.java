package org.jrave.train.discriminator;

import org.jrave.engine.ConvolutionKernel;
import org.jrave.engine.Device;
import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * A 2-D convolution with bias and optional weight normalisation ({@code weight_g}, {@code weight_v}),
 * PyTorch's default initialisation. A {@code flat} layer is a 1-D convolution stored with 1-D weight
 * shapes ({@code [out, in, k]}, as the reference's 1-D discriminators) and run as a 2-D convolution
 * with kernel {@code (k, 1)} on {@code [B, C, T, 1]}, so that one class serves 1-D and 2-D stacks.
 * (Flat layers call libtorch's 1-D convolution: oneDNN runs a {@code [T, 1]} 2-D layout much slower.)
 */
final class Conv2dLayer extends Module {

  /** Geometry of one convolution; axes are (height, width). */
  record Spec(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean weightNorm) {
    static Spec of(int in, int out, int kh, int kw) {
      return new Spec(in, out, new int[] {kh, kw}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true);
    }

    Spec stride(int h, int w) {
      return new Spec(in, out, kernel, new int[] {h, w}, padding, dilation, weightNorm);
    }

    Spec padding(int h, int w) {
      return new Spec(in, out, kernel, stride, new int[] {h, w}, dilation, weightNorm);
    }

    Spec dilation(int h, int w) {
      return new Spec(in, out, kernel, stride, padding, new int[] {h, w}, weightNorm);
    }

    Spec plain() {
      return new Spec(in, out, kernel, stride, padding, dilation, false);
    }
  }

  private final Spec spec;
  private final boolean flat;
  private final ConvolutionKernel kernel;
  private final Parameter weight;
  private final Parameter gain;
  private final Parameter bias;

  Conv2dLayer(Spec spec, boolean flat) {
    this.spec = spec;
    this.flat = flat;
    this.kernel = DiscriminatorKernels.forLayer(spec.in(), spec.kernel()[0], spec.stride()[0]);
    long[] shape = flat
        ? new long[] {spec.out(), spec.in(), spec.kernel()[0]}
        : new long[] {spec.out(), spec.in(), spec.kernel()[0], spec.kernel()[1]};
    double bound = 1.0 / Math.sqrt((double) spec.in() * spec.kernel()[0] * spec.kernel()[1]);
    Tensor init = uniform(bound, shape);
    if (spec.weightNorm()) {
      this.gain = addParameter("weight_g", init.normExceptDim(0));
      this.weight = addParameter("weight_v", init);
    } else {
      this.gain = null;
      this.weight = addParameter("weight", init);
    }
    this.bias = addParameter("bias", uniform(bound, spec.out()));
  }

  private static Tensor uniform(double bound, long... shape) {
    return Tensor.rand(Device.CPU, shape).mul(2 * bound).sub(bound);
  }

  private Tensor effectiveWeight() {
    Tensor v = weight.value();
    Tensor w = gain == null ? v : v.mul(gain.value().div(v.normExceptDim(0)));
    return w;
  }

  /** {@code [B, in, H, W] -> [B, out, H', W']}, or for a flat layer {@code [B, in, T] -> [B, out, T']}. */
  Tensor forward(Tensor x) {
    if (flat) {
      return x.conv1d(effectiveWeight(), bias.value(), spec.stride()[0], spec.padding()[0], spec.dilation()[0], 1,
          kernel);
    }
    return x.conv2d(effectiveWeight(), bias.value(), longs(spec.stride()), longs(spec.padding()),
        longs(spec.dilation()), 1);
  }

  /** Whether this 2-D layer looks along its first axis only (kernel, stride and padding 1/1/0 across). */
  boolean separableAcross() {
    return !flat && spec.kernel()[1] == 1 && spec.stride()[1] == 1 && spec.padding()[1] == 0
        && spec.dilation()[1] == 1;
  }

  /**
   * A {@link #separableAcross} 2-D layer on input whose second axis is folded into the batch:
   * {@code [B * W, in, H] -> [B * W, out, H']}, the same values as {@link #forward} on
   * {@code [B, in, H, W]}, computed as a 1-D convolution (faster on CPU, see DiscriminatorKernels).
   */
  Tensor forwardFolded(Tensor x) {
    Tensor w2d = effectiveWeight();
    Tensor w = w2d.squeeze(3);
    Tensor y = x.conv1d(w, bias.value(), spec.stride()[0], spec.padding()[0], spec.dilation()[0], 1, kernel);
    w.close();
    if (w2d != weight.value()) {
      w2d.close();
    }
    return y;
  }

  private static long[] longs(int[] a) {
    return new long[] {a[0], a[1]};
  }
}
