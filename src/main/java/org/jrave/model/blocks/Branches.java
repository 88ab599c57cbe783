package org.jrave.model.blocks;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;

/**
 * Layers applied in parallel to the same input, kept at {@code branches.N} as the reference's
 * branch-alignment container keeps them. {@link #forward} sums the outputs (the v1 residual
 * stack); {@link #outputs} gives them one by one (the v1 synthesis branches).
 */
public final class Branches extends Layer {
  private final ModuleList<Layer> branches = addChild("branches", new ModuleList<>());

  public Branches add(Layer branch) {
    branches.add(branch);
    return this;
  }

  public Layer branch(int index) {
    return branches.get(index);
  }

  public int size() {
    return branches.size();
  }

  public List<Tensor> outputs(Tensor x) {
    List<Tensor> out = new ArrayList<>();
    for (Layer branch : branches.items()) {
      out.add(branch.forward(x));
    }
    return out;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor sum = null;
    for (Tensor y : outputs(x)) {
      sum = sum == null ? y : sum.add(y);
    }
    return sum;
  }
}
