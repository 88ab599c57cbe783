package org.jrave.prior;

import org.jrave.engine.Device;
import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * A 1-d convolution with bias whose output at frame t sees only frames up to t (left padding of
 * {@code (k - 1) * dilation}), initialised as PyTorch does: uniform in {@code ±1/sqrt(fan_in)}.
 */
final class CausalConv extends Module {
  private final Parameter weight;
  private final Parameter bias;
  private final int dilation;
  private final int groups;
  private final int padding;

  CausalConv(int in, int out, int kernel, int dilation, int groups) {
    double bound = 1 / Math.sqrt((double) in / groups * kernel);
    this.weight = addParameter("weight", uniform(bound, out, in / groups, kernel));
    this.bias = addParameter("bias", uniform(bound, out));
    this.dilation = dilation;
    this.groups = groups;
    this.padding = (kernel - 1) * dilation;
  }

  private static Tensor uniform(double bound, long... shape) {
    return Tensor.rand(Device.CPU, shape).mul(2 * bound).sub(bound);
  }

  /** Input frames the convolution looks back: {@code (k - 1) * dilation}. */
  int history() {
    return padding;
  }

  /**
   * The same output for the frames {@code x} when the {@link #history()} frames before them are in
   * {@code history} ({@code [B, in, history]}, zeros at the start; unused when there is none),
   * which then moves on to end with the last frames of {@code x}.
   */
  Tensor forward(Tensor x, Tensor history) {
    Tensor joined = x;
    if (padding > 0) {
      joined = Tensor.cat(java.util.List.of(history, x), 2);
      history.copyInPlace(joined.narrow(2, joined.size(2) - padding, padding));
    }
    if (groups != 1) {
      return joined.conv1d(weight.value(), bias.value(), 1, dilation, groups);
    }
    // A matrix product over the taps: libtorch's CPU convolution re-lays out its weights on every
    // call, which costs more than the arithmetic of a one-frame step.
    long frames = x.size(2);
    long kernel = weight.value().size(2);
    Tensor taps = joined;
    if (kernel > 1) {
      java.util.List<Tensor> shifted = new java.util.ArrayList<>();
      for (int j = 0; j < kernel; j++) {
        shifted.add(joined.narrow(2, (long) j * dilation, frames));
      }
      taps = Tensor.stack(shifted, 2).reshape(x.size(0), -1, frames);
    }
    // [B, n, in*k] x [in*k, out]: one matrix product over every frame of every sequence.
    Tensor w = weight.value();
    return taps.transpose(1, 2).matmul(w.reshape(w.size(0), -1).transpose(0, 1)).add(bias.value())
        .transpose(1, 2);
  }

  Tensor forward(Tensor x) {
    Tensor padded = padding == 0 ? x : x.padLast(padding, 0);
    return padded.conv1d(weight.value(), bias.value(), 1, dilation, groups);
  }
}
