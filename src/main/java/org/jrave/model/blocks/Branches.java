package org.jrave.model.blocks;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

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

  /** Streaming: every branch is delayed to the slowest one so that their outputs align. */
  @Override
  public int streamLag(int inputLag) {
    int max = Integer.MIN_VALUE;
    for (Layer branch : branches.items()) {
      max = Math.max(max, branch.streamLag(inputLag));
    }
    return max;
  }

  /** The branches' sum, each read as far back as it runs ahead of the slowest. */
  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    Signal sum = null;
    for (Layer branch : branches.items()) {
      Signal y = branch.lower(g, x);
      sum = sum == null ? y : g.add("branches", sum, y);
    }
    return sum;
  }


  private static Tensor sum(List<Tensor> outputs) {
    Tensor sum = null;
    for (Tensor y : outputs) {
      sum = sum == null ? y : sum.add(y);
    }
    return sum;
  }

  @Override
  public Tensor forward(Tensor x) {
    return sum(outputs(x));
  }
}
