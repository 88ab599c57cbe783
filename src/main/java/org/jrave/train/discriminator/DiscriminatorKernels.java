package org.jrave.train.discriminator;

import org.jrave.engine.ConvolutionKernel;

/**
 * The convolution kernel of each discriminator layer, chosen from measurements on the CPU
 * (full-size v2, batch 8 x 131072: real and fake, 2 threads; {@code jrave bench-train --kernels}
 * prints the table for any configuration).
 */
final class DiscriminatorKernels {

  private DiscriminatorKernels() {}

  /** The kernel of a layer with {@code in} input channels, kernel length and stride along time. */
  static ConvolutionKernel forLayer(int in, int kernel, int stride) {
    return in <= 2 && stride > 1 ? ConvolutionKernel.UNFOLD_MATMUL : ConvolutionKernel.DEFAULT;
  }
}
