package org.jrave.engine;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.global.torch;

/**
 * Works around a defect of oneDNN's CPU convolution backward in libtorch 2.10: for a convolution
 * with one group whose output channel count is not a multiple of 16, the input-gradient kernel
 * reads the padding channels of its 16-channel blocks without initialising them. A finite stale
 * value there is multiplied by a zero weight and vanishes; a stale NaN or infinity turns the whole
 * input gradient into NaN. It hit a few percent of training steps of narrow test models and can hit
 * any model through its one-channel layers (loudness, discriminator outputs).
 *
 * <p>Adding zero output channels up to the next multiple of 16 and cropping them from the output
 * gives the same values and gradients without the uninitialised read (measured with memory
 * poisoned with NaN: 30-90% of backward passes NaN without it, none in thousands with it). It is
 * applied only where the defect can bite: on CPU with oneDNN on, while autograd records and the
 * input needs a gradient.
 */
final class OneDnnChannelPadding {

  private static final int BLOCK = 16;

  private OneDnnChannelPadding() {}

  static boolean needed(org.bytedeco.pytorch.Tensor input, org.bytedeco.pytorch.Tensor weight, long groups) {
    return groups == 1
        && weight.size(0) % BLOCK != 0
        && input.requires_grad()
        && GradMode.is_enabled()
        && input.is_cpu()
        && torch.globalContext().userEnabledMkldnn();
  }

  /** {@code t} with zero rows appended along its first axis up to a multiple of 16. */
  static org.bytedeco.pytorch.Tensor padFirstAxis(org.bytedeco.pytorch.Tensor t) {
    long rows = t.size(0);
    long[] pad = new long[2 * (int) t.dim()];
    pad[pad.length - 1] = (rows + BLOCK - 1) / BLOCK * BLOCK - rows; // pads are listed last axis first
    return torch.constant_pad_nd(t, pad);
  }
}
