package org.jrave.engine;

/**
 * How a 1-D convolution is computed. Every kernel gives the same values up to float rounding and
 * differentiates through autograd; they differ in speed by shape, which is why training chooses
 * one per layer from measurements (see {@code jrave bench-train --kernels} and
 * {@code train.discriminator.DiscriminatorKernels}).
 */
public enum ConvolutionKernel {

  /** libtorch's own choice: oneDNN on CPU (with {@link OneDnnChannelPadding}), cuDNN on CUDA. */
  DEFAULT,

  /** libtorch's native im2col and matrix product ({@code thnn_conv2d}), bypassing oneDNN. */
  NATIVE,

  /**
   * The unfolded input windows times the weight matrix: one matrix product of inner size
   * {@code Cin * k}. Meant for few input channels (a discriminator's audio input), where oneDNN's
   * blocked kernels have nothing to block; it keeps {@code k / stride} copies of the input for the
   * weight gradient.
   */
  UNFOLD_MATMUL;

  /** Whether this kernel can compute a convolution of this geometry (else {@link #DEFAULT} is used). */
  public boolean supports(long dilation, long groups) {
    return this == DEFAULT || (dilation == 1 && groups == 1);
  }
}
