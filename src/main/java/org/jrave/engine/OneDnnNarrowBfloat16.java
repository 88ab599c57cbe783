package org.jrave.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * Works around a defect of oneDNN's bfloat16 convolutions on CPUs with AMX (libtorch 2.10): with
 * 4 to 24 input channels per group and a kernel length that is a multiple of 4, some geometries
 * return values unrelated to the convolution (largest error 0.9-1.4 times the output's peak),
 * measured over input channels 1-128, kernels 1-16 and strides 1-8: stride 1 with 4-12 input
 * channels and 64 or more weights per output channel, and stride 4 or 8 with 16-24 input channels
 * (e.g. a narrow model's strided encoder convolution, 16 -> 32 channels, kernel 8, stride 4).
 * With 1-2 or 32 and more input channels every geometry was exact to bfloat16 rounding, and
 * without AMX ({@code ONEDNN_MAX_CPU_ISA=AVX512_CORE_BF16}) every one was.
 *
 * <p>Such convolutions (bfloat16 input, or mixed precision on, and 3 to 31 input channels per
 * group) are computed in float32 instead and their output converted to bfloat16, as the bfloat16
 * kernel would have returned it. These are the narrow layers, cheap in either format.
 */
final class OneDnnNarrowBfloat16 {

  private OneDnnNarrowBfloat16() {}

  interface Convolution {
    org.bytedeco.pytorch.Tensor apply(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor weight,
        org.bytedeco.pytorch.Tensor bias);
  }

  static boolean affected(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor weight) {
    long inputChannels = weight.size(1);
    return inputChannels > 2 && inputChannels < 32 && input.is_cpu()
        && (input.scalar_type().value == torch.ScalarType.BFloat16.value
            || torch.is_autocast_enabled(torch.DeviceType.CPU));
  }

  static Tensor inFloat32(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor weight,
      org.bytedeco.pytorch.Tensor bias, Convolution conv) {
    boolean autocast = torch.is_autocast_enabled(torch.DeviceType.CPU);
    torch.set_autocast_enabled(torch.DeviceType.CPU, false);
    try {
      org.bytedeco.pytorch.Tensor x32 = input.to(torch.ScalarType.Float);
      org.bytedeco.pytorch.Tensor w32 = weight.to(torch.ScalarType.Float);
      org.bytedeco.pytorch.Tensor b32 = bias == null ? null : bias.to(torch.ScalarType.Float);
      org.bytedeco.pytorch.Tensor y = conv.apply(x32, w32, b32);
      Tensor out = new Tensor(y.to(torch.ScalarType.BFloat16));
      // Dead copies (autograd keeps what it saved): freed now, not with the enclosing scope.
      for (org.bytedeco.pytorch.Tensor t : new org.bytedeco.pytorch.Tensor[] {y, b32, w32, x32}) {
        if (t != null && t != input && t != weight && t != bias) {
          t.close();
        }
      }
      return out;
    } finally {
      torch.set_autocast_enabled(torch.DeviceType.CPU, autocast);
    }
  }
}
