package org.jrave.prior;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/** Adam (Kingma and Ba; PyTorch's defaults betas 0.9, 0.999, eps 1e-8) over a module's parameters. */
final class AdamOptimizer implements AutoCloseable {
  private final List<Parameter> params;
  private final List<Tensor> m = new ArrayList<>();
  private final List<Tensor> v = new ArrayList<>();
  private final double lr;
  private final double beta1 = 0.9;
  private final double beta2 = 0.999;
  private final double eps = 1e-8;
  private long step;

  AdamOptimizer(List<Parameter> params, double lr) {
    this.params = params;
    this.lr = lr;
    try (NoGrad ng = NoGrad.enter()) {
      for (Parameter p : params) {
        m.add(Tensor.zeros(p.value().device(), p.shape()).retain());
        v.add(Tensor.zeros(p.value().device(), p.shape()).retain());
      }
    }
  }

  /** Applies the gradients accumulated by backward() and clears them. */
  void step() {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    try (NoGrad ng = NoGrad.enter()) {
      for (int i = 0; i < params.size(); i++) {
        Tensor g = params.get(i).value().grad();
        if (g == null) {
          continue;
        }
        m.get(i).mulInPlace(beta1).addInPlace(g, 1 - beta1);
        v.get(i).mulInPlace(beta2).addInPlace(g.square(), 1 - beta2);
        Tensor denom = v.get(i).div(bc2).sqrt().add(eps);
        params.get(i).value().addInPlace(m.get(i).div(denom), -lr / bc1);
        g.zeroInPlace();
      }
    }
  }

  @Override
  public void close() {
    m.forEach(Tensor::close);
    v.forEach(Tensor::close);
  }
}
