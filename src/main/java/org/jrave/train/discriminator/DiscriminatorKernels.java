package org.jrave.train.discriminator;

import org.jrave.engine.ConvolutionKernel;

/**
 * The convolution kernel of each discriminator layer, chosen from measurements on the 2-core CPU
 * (full-size v2, batch 8 x 131072, real and fake together, 2 threads; {@code jrave bench-train
 * --kernels} prints the whole table for any configuration). Forward + backward (input and weight),
 * milliseconds, oneDNN (libtorch's default) vs libtorch's native im2col:
 *
 * <ul>
 *   <li>audio input layers, 1 channel to 96, kernel 5, stride 4 (periods 2, 3, 5, 7, 11 folded
 *       into the batch): 311 vs 137, 554 vs 272, 494 vs 251, 507 vs 246, 466 vs 149. oneDNN has
 *       no input channels to block over; the native kernel is a thin matrix product.
 *   <li>logit layers, 768 channels to 1, 1x1: 23 vs 9, 21 vs 11, 29 vs 11, 27 vs 11 (and no
 *       output-channel padding for oneDNN's defect, see engine.OneDnnChannelPadding).
 *   <li>the wide layers in between: no kernel wins consistently (within 10-40% either way from
 *       shape to shape, and across runs), so they keep oneDNN. The unfolded-window product loses
 *       everywhere but the 384-to-768 layers, where it ties.
 * </ul>
 */
final class DiscriminatorKernels {

  private DiscriminatorKernels() {}

  /** The kernel of a layer with {@code in} input and {@code out} output channels. */
  static ConvolutionKernel forLayer(int in, int out) {
    return in <= 2 || out == 1 ? ConvolutionKernel.NATIVE : ConvolutionKernel.DEFAULT;
  }
}
