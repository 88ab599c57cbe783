package org.jrave.model.blocks;

import org.jrave.engine.Tensor;

/**
 * The v2 residual unit's branch: activation, dilated convolution, activation, 1x1 convolution,
 * all weight-normalised and bias-free. (Residual units keep LeakyReLU even in Snake configs: the
 * reference's Snake binding never reaches them.)
 */
public final class DilatedUnit extends Layer {
  private final Sequential net;
  private final Conv1d dilatedConv;

  public DilatedUnit(int channels, int kernel, int dilation, PaddingMode mode) {
    this.net = addChild("net", new Sequential());
    net.add(new LeakyRelu());
    this.dilatedConv = new Conv1d(Conv1d.Spec.of(channels, channels, kernel)
        .dilation(dilation).padding(mode).weightNorm(true));
    net.add(dilatedConv);
    net.add(new LeakyRelu());
    net.add(new Conv1d(Conv1d.Spec.of(channels, channels, 1).weightNorm(true)));
  }

  public Sequential net() {
    return net;
  }

  @Override
  public Tensor forward(Tensor x) {
    return net.forward(x);
  }
}
