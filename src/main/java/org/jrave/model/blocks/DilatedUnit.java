package org.jrave.model.blocks;

/**
 * The v2 residual unit's branch: activation, dilated convolution, activation, 1x1 convolution,
 * all weight-normalised and bias-free. (Residual units keep LeakyReLU even in Snake configs: the
 * reference's Snake binding never reaches them.)
 */
public final class DilatedUnit extends NetLayer<Sequential> {

  public DilatedUnit(int channels, int kernel, int dilation, PaddingMode mode) {
    super(new Sequential());
    net().add(new LeakyRelu());
    net().add(new Conv1d(Conv1d.Spec.of(channels, channels, kernel).dilation(dilation).padding(mode).weightNorm(true)));
    net().add(new LeakyRelu());
    net().add(new Conv1d(Conv1d.Spec.of(channels, channels, 1).weightNorm(true)));
  }
}
