package org.jrave.model.v1;

import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Sequential;

/**
 * v1 upsampling ({@code net}): LeakyReLU, then a weight-normed transposed conv (kernel 2r, stride r,
 * padding r/2), or a weight-normed conv k3 when the ratio is 1.
 */
public final class UpsampleLayer extends NetLayer<Sequential> {

  public UpsampleLayer(int in, int out, int ratio, PaddingMode mode) {
    super(new Sequential());
    Sequential net = net();
    net.add(new LeakyRelu());
    if (ratio > 1) {
      net.add(new ConvTranspose1d(in, out, 2 * ratio, ratio, ratio / 2, false, true));
    } else {
      net.add(new Conv1d(Conv1d.Spec.of(in, out, 3).padding(mode).weightNorm(true)));
    }
  }
}
