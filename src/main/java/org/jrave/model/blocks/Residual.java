package org.jrave.model.blocks;

import org.jrave.engine.Module;
import org.jrave.engine.Recomputation;
import org.jrave.engine.Tensor;
import org.jrave.streaming.graph.GraphBuilder;
import org.jrave.streaming.graph.Signal;

/**
 * {@code module(x) + x}. The wrapped module sits at {@code aligned.branches.0}, where the
 * reference's branch-alignment container keeps it, so checkpoints load by name.
 */
public final class Residual extends Layer {
  private final Layer branch;

  public Residual(Layer branch) {
    this.branch = branch;
    Module aligned = addChild("aligned", new Container());
    ((Container) aligned).put("branches", new Container()).put("0", branch);
  }

  public Layer branch() {
    return branch;
  }

  /** In streaming, the identity path is delayed by the branch's own lag so both paths align. */
  @Override
  public int streamLag(int inputLag) {
    return branch.streamLag(inputLag);
  }

  /** The identity path is read as far back as the branch lags behind it. */
  @Override
  public Signal lower(GraphBuilder g, Signal x) {
    return g.add("residual", branch.lower(g, x), x);
  }


  @Override
  public Tensor forward(Tensor x) {
    // Under an open Recomputation (--checkpoint-activations) the branch keeps no activations.
    Tensor y = Recomputation.applyIfOpen(branch::forward, x);
    // Without autograd the branch's fresh output can take the sum in place (one allocation less).
    if (!y.requiresGrad() && !x.requiresGrad()) {
      return y.addInPlace(x);
    }
    // Under autograd the branch's output is dead once summed (the sum's gradient needs neither
    // operand): freed now rather than at the end of the step.
    Tensor sum = y.add(x);
    if (y != x) {
      y.close();
    }
    return sum;
  }

  /** A naming-only node of the module tree. */
  static final class Container extends Module {
    <M extends Module> M put(String name, M child) {
      return addChild(name, child);
    }

    Container put(String name, Container child) {
      addChild(name, child);
      return child;
    }
  }
}
