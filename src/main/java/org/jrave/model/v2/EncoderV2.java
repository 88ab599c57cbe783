package org.jrave.model.v2;

import java.util.List;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.DilatedUnit;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.config.EncoderV2Config;

/**
 * The v2-family encoder ({@code net}): conv k=2k+1, then per stage residual dilated units, an
 * activation and a strided conv (kernel 2r, stride r), then an activation and a conv k to the
 * latent channels. With AdaIN an instance-normalisation module precedes every residual unit.
 */
public final class EncoderV2 extends NetLayer<Sequential> {

  public EncoderV2(EncoderV2Config c, PaddingMode mode, AdaInFactory adain) {
    super(new Sequential());
    Sequential net = net();
    int channels = c.capacity();
    net.add(new Conv1d(Conv1d.Spec.of(c.inputChannels(), channels, 2 * c.kernel() + 1)
        .padding(mode).weightNorm(true)));
    List<Integer> ratios = c.ratios();
    for (int stage = 0; stage < ratios.size(); stage++) {
      int r = ratios.get(stage);
      for (int d : c.dilations().get(stage)) {
        if (c.adain()) {
          net.add(adain.create(channels));
        }
        net.add(new Residual(new DilatedUnit(channels, c.kernel(), d, mode)));
      }
      net.add(c.activation().create(channels));
      int next = c.keepDim() ? channels * r : channels * 2;
      net.add(new Conv1d(Conv1d.Spec.of(channels, next, 2 * r).stride(r).padding(mode).weightNorm(true)));
      channels = next;
    }
    net.add(c.activation().create(channels));
    net.add(new Conv1d(Conv1d.Spec.of(channels, c.latentSize() * c.nOut(), c.kernel())
        .padding(mode).weightNorm(true)));
  }
}
