package org.jrave.model.v1;

import java.util.List;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.blocks.Sequential;

/** v1 residual block ({@code net}): one {@link ResidualLayer} per dilation pair, in sequence. */
public final class ResidualBlock extends NetLayer<Sequential> {

  public ResidualBlock(int channels, int kernel, List<List<Integer>> dilationPairs, PaddingMode mode) {
    super(new Sequential());
    Sequential net = net();
    for (List<Integer> pair : dilationPairs) {
      net.add(new ResidualLayer(channels, kernel, pair.get(0), pair.get(1), mode));
    }
  }
}
