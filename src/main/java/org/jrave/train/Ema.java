package org.jrave.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Exponential moving average of a model's parameters (spec 5.8, {@code --ema F}):
 * {@code e <- F e + (1 - F) p} after every training batch, the first call copying. The averaged
 * weights are swapped in for validation and back afterwards.
 */
public final class Ema implements AutoCloseable {

  private final double factor;
  private final Map<String, Parameter> params;
  private final Map<String, Tensor> average = new LinkedHashMap<>();

  public Ema(Module model, double factor) {
    this.factor = factor;
    this.params = model.namedParameters();
  }

  public void update() {
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        Tensor p = e.getValue().value();
        Tensor avg = average.get(e.getKey());
        if (avg == null) {
          average.put(e.getKey(), p.detach().copy().retain());
        } else {
          avg.lerpInPlace(p, 1 - factor);
        }
      }
    }
  }

  /** Exchanges the model's weights with the averages (call twice to undo). */
  public void swap() {
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      for (Map.Entry<String, Tensor> e : average.entrySet()) {
        Tensor p = params.get(e.getKey()).value();
        Tensor saved = p.detach().copy();
        p.copyInPlace(e.getValue());
        e.getValue().copyInPlace(saved);
      }
    }
  }

  public boolean isEmpty() {
    return average.isEmpty();
  }

  public Map<String, Tensor> state() {
    return average;
  }

  public void loadState(Map<String, Tensor> state) {
    close();
    for (String name : params.keySet()) {
      Tensor t = state.get(name);
      if (t != null) {
        average.put(name, t.to(params.get(name).value().device()).copy().retain());
      }
    }
  }

  @Override
  public void close() {
    average.values().forEach(Tensor::close);
    average.clear();
  }
}
