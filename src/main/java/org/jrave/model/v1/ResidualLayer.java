package org.jrave.model.v1;

import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;

/**
 * v1 residual layer ({@code net}): {@code x + (act, conv(k, d1), act, conv(k, d2))(x)} with
 * weight-normed convolutions. Keeps LeakyReLU in Snake configurations, as the reference does.
 */
public final class ResidualLayer extends NetLayer<Residual> {

  public ResidualLayer(int channels, int kernel, int firstDilation, int secondDilation, PaddingMode mode) {
    super(new Residual(branch(channels, kernel, firstDilation, secondDilation, mode)));
  }

  private static Sequential branch(int channels, int kernel, int firstDilation, int secondDilation, PaddingMode mode) {
    Sequential branch = new Sequential();
    for (int dilation : new int[] {firstDilation, secondDilation}) {
      branch.add(new LeakyRelu());
      branch.add(new Conv1d(Conv1d.Spec.of(channels, channels, kernel).dilation(dilation).padding(mode).weightNorm(true)));
    }
    return branch;
  }
}
