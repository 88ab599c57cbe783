package org.jrave.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Parameter;
import org.jrave.engine.Recomputation;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

/**
 * Activation checkpointing of residual units ({@code --checkpoint-activations}): a chain of v2
 * residual units gives bit-identical input and parameter gradients with its units' activations
 * recomputed during the backward pass, also when its input needs no gradient.
 */
class RecomputationTest {

  @Test
  void recomputedResidualUnitsGiveTheSameGradients() {
    Engine.initialize(2);
    Engine.manualSeed(1);
    Sequential net = new Sequential();
    net.add(new Conv1d(Conv1d.Spec.of(8, 32, 3).padding(PaddingMode.CENTERED).weightNorm(true)));
    for (int d : new int[] {1, 3, 9, 1}) {
      net.add(new Residual(new DilatedUnit(32, 3, d, PaddingMode.CENTERED)));
    }
    net.add(new LeakyRelu());
    net.add(new Conv1d(Conv1d.Spec.of(32, 4, 3).padding(PaddingMode.CENTERED).weightNorm(true)));
    net.train(true);
    try (TensorScope scope = new TensorScope()) {
      Tensor x = Tensor.randn(Device.CPU, 2, 8, 2048);
      Tensor target = Tensor.randn(Device.CPU, 2, 4, 2048);
      for (boolean inputGradient : new boolean[] {true, false}) {
        List<float[]> plain = gradients(net, x, target, inputGradient, false);
        List<float[]> recomputed = gradients(net, x, target, inputGradient, true);
        assertThat(recomputed).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
          assertThat(recomputed.get(i)).as("gradient %d (input gradient %s)", i, inputGradient)
              .containsExactly(plain.get(i));
        }
      }
    }
  }

  private static List<float[]> gradients(Sequential net, Tensor x0, Tensor target, boolean inputGradient,
      boolean recompute) {
    for (Parameter p : net.namedParameters().values()) {
      Tensor g = p.value().grad();
      if (g != null) {
        g.zeroInPlace();
      }
    }
    try (TensorScope scope = new TensorScope(); Recomputation r = recompute ? Recomputation.open() : null) {
      Tensor x = x0.copy().requiresGrad(inputGradient);
      net.forward(x).sub(target).square().mean().backward();
      if (r != null) {
        r.rethrow();
      }
      List<float[]> out = new ArrayList<>();
      if (inputGradient) {
        out.add(x.grad().toFloatArray());
      }
      for (Parameter p : net.namedParameters().values()) {
        out.add(p.value().grad().toFloatArray());
      }
      return out;
    }
  }
}
