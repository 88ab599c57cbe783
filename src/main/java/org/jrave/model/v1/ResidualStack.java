package org.jrave.model.v1;

import java.util.List;
import org.jrave.model.blocks.Branches;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.PaddingMode;

/** v1 residual stack ({@code net}): one {@link ResidualBlock} per kernel size, run in parallel and summed. */
public final class ResidualStack extends NetLayer<Branches> {

  public ResidualStack(int channels, List<Integer> kernels, List<List<Integer>> dilationPairs, PaddingMode mode) {
    super(new Branches());
    Branches net = net();
    for (int kernel : kernels) {
      net.add(new ResidualBlock(channels, kernel, dilationPairs, mode));
    }
  }
}
