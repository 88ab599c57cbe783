package org.jrave.train.discriminator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

/**
 * The multi-period discriminator runs its 2-D convolutions as 1-D ones with the period folded into
 * the batch (and its one-channel first layer as an unfolded matrix product): feature maps, input
 * gradient and parameter gradients equal those of the plain 2-D convolutions.
 */
class PeriodFoldingTest {

  @Test
  void foldedPeriodsGiveThe2dConvolutionsFeaturesAndGradients() {
    Engine.initialize(1);
    Engine.manualSeed(21);
    try (TensorScope scope = new TensorScope();
        MultiPeriodDiscriminator d = new MultiPeriodDiscriminator(List.of(2, 3), 1, 8)) {
      Tensor audio = Tensor.randn(Device.CPU, 2, 1, 3001);
      for (int s = 0; s < d.scaleCount(); s++) {
        ConvNet net = d.nets().get(s);
        Tensor folded = MultiPeriodDiscriminator.fold(audio, List.of(2, 3).get(s));
        Result plain = run(d, folded, net::features);
        Result periods = run(d, folded, net::periodFeatures);
        for (int i = 0; i < plain.maps().size(); i++) {
          assertThat(periods.maps().get(i).shape()).containsExactly(plain.maps().get(i).shape());
          assertClose(periods.maps().get(i).toFloatArray(), plain.maps().get(i).toFloatArray(), "map " + i);
        }
        assertClose(periods.inputGradient(), plain.inputGradient(), "input gradient");
        for (String name : plain.parameterGradients().keySet()) {
          assertClose(periods.parameterGradients().get(name), plain.parameterGradients().get(name), name);
        }
      }
    }
  }

  private record Result(List<Tensor> maps, float[] inputGradient, Map<String, float[]> parameterGradients) {}

  private static Result run(MultiPeriodDiscriminator d, Tensor input,
      java.util.function.Function<Tensor, List<Tensor>> features) {
    for (Parameter p : d.namedParameters().values()) {
      Tensor g = p.value().grad();
      if (g != null) {
        g.zeroInPlace();
      }
    }
    Tensor x = input.copy().requiresGrad(true);
    List<Tensor> maps = features.apply(x);
    Tensor loss = null;
    Engine.manualSeed(22);
    for (Tensor m : maps) {
      Tensor term = m.mul(Tensor.randn(Device.CPU, m.shape())).sum();
      loss = loss == null ? term : loss.add(term);
    }
    loss.backward();
    Map<String, float[]> grads = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : d.namedParameters().entrySet()) {
      Tensor g = e.getValue().value().grad();
      if (g != null) {
        grads.put(e.getKey(), g.toFloatArray());
      }
    }
    return new Result(maps.stream().map(Tensor::detach).toList(), x.grad().toFloatArray(), grads);
  }

  private static void assertClose(float[] actual, float[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    double worst = 0;
    double peak = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
      peak = Math.max(peak, Math.abs(expected[i]));
    }
    assertThat(worst).as("%s: largest difference (peak %.3g)", what, peak).isLessThanOrEqualTo(1e-5 * peak);
  }
}
