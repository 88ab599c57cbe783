package org.jrave.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) over a fixed list of named parameters, with PyTorch's update rule and
 * defaults (no weight decay, no AMSGrad), written with tensor ops so that its whole state is plain
 * named tensors that a checkpoint saves and restores exactly.
 *
 * <p>Like PyTorch since 2.0, a parameter that has no gradient, or whose gradient tracking is off
 * (a frozen part), is skipped: its moments and step count do not move.
 */
public final class Adam implements AutoCloseable {

  /** Hyper-parameters; the learning rate changes over training, see {@link #setLearningRate}. */
  public record Settings(double learningRate, double beta1, double beta2, double eps) {}

  private final Map<String, Parameter> params;
  private final Settings settings;
  private final Map<String, Tensor> firstMoment = new LinkedHashMap<>();
  private final Map<String, Tensor> secondMoment = new LinkedHashMap<>();
  private final Map<String, Long> steps = new LinkedHashMap<>();
  private double learningRate;

  public Adam(Map<String, Parameter> params, Settings settings) {
    this.params = new LinkedHashMap<>(params);
    this.settings = settings;
    this.learningRate = settings.learningRate();
  }

  public double learningRate() {
    return learningRate;
  }

  public void setLearningRate(double lr) {
    this.learningRate = lr;
  }

  public List<Parameter> parameters() {
    return List.copyOf(params.values());
  }

  /** Forgets the gradients of every parameter (zeroed in place, as before a backward pass). */
  public void zeroGrad() {
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      for (Parameter p : params.values()) {
        Tensor g = p.value().grad();
        if (g != null) {
          g.zeroInPlace();
        }
      }
    }
  }

  /** One update of every parameter that has a gradient and is not frozen. */
  public void step() {
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        Tensor value = e.getValue().value();
        Tensor grad = value.requiresGrad() ? value.grad() : null;
        if (grad == null) {
          continue;
        }
        String name = e.getKey();
        Tensor m = firstMoment.computeIfAbsent(name, k -> value.zerosLike().retain());
        Tensor v = secondMoment.computeIfAbsent(name, k -> value.zerosLike().retain());
        long t = steps.merge(name, 1L, Long::sum);
        m.lerpInPlace(grad, 1 - settings.beta1());
        v.mulInPlace(settings.beta2()).addcmulInPlace(grad, grad, 1 - settings.beta2());
        double correction1 = 1 - Math.pow(settings.beta1(), t);
        double correction2 = 1 - Math.pow(settings.beta2(), t);
        Tensor denom = v.sqrt().div(Math.sqrt(correction2)).add(settings.eps());
        value.addcdivInPlace(m, denom, -learningRate / correction1);
      }
    }
  }

  /**
   * The state as named tensors ({@code exp_avg.NAME}, {@code exp_avg_sq.NAME}, {@code step.NAME}
   * as int64 scalars), for a checkpoint.
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    firstMoment.forEach((k, t) -> out.put("exp_avg." + k, t));
    secondMoment.forEach((k, t) -> out.put("exp_avg_sq." + k, t));
    steps.forEach((k, n) -> out.put("step." + k, Tensor.fromLongs(new long[] {n}, 1)));
    return out;
  }

  /** Restores a state written by {@link #state()} (entries of other optimisers are ignored). */
  public void loadState(Map<String, Tensor> state) {
    close();
    for (String name : params.keySet()) {
      Tensor m = state.get("exp_avg." + name);
      Tensor v = state.get("exp_avg_sq." + name);
      Tensor n = state.get("step." + name);
      if (m != null && v != null && n != null) {
        Device device = params.get(name).value().device();
        firstMoment.put(name, m.to(device).copy().retain());
        secondMoment.put(name, v.to(device).copy().retain());
        steps.put(name, n.toLongArray()[0]);
      }
    }
  }

  @Override
  public void close() {
    firstMoment.values().forEach(Tensor::close);
    secondMoment.values().forEach(Tensor::close);
    firstMoment.clear();
    secondMoment.clear();
    steps.clear();
  }
}
