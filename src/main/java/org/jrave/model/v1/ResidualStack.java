package org.jrave.model.v1;

import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Branches;
import org.jrave.model.blocks.Layer;
import org.jrave.model.blocks.PaddingMode;

/** v1 residual stack ({@code net}): one {@link ResidualBlock} per kernel size, run in parallel and summed. */
public final class ResidualStack extends Layer {
  private final Branches net;

  public ResidualStack(int channels, List<Integer> kernels, List<List<Integer>> dilationPairs, PaddingMode mode) {
    this.net = addChild("net", new Branches());
    for (int kernel : kernels) {
      net.add(new ResidualBlock(channels, kernel, dilationPairs, mode));
    }
  }

  @Override
  public Tensor forward(Tensor x) {
    return net.forward(x);
  }
}
