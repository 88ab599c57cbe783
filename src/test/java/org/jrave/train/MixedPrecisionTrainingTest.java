package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jrave.engine.Autocast;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bf16 mixed-precision training ({@code --precision bf16}) against float32 on the same weights,
 * batches and draws: a phase-1 step, a phase-2 generator step and a phase-2 discriminator step.
 */
class MixedPrecisionTrainingTest {

  private static final int N = 8192;

  /**
   * Relative difference allowed between a bf16 and the fp32 step's logged losses, each step from the
   * same weights. Measured on this tiny model (capacity 4): spectral distances at most 2.9e-4,
   * hinge losses 2.4e-3, feature matching 6.5e-3 (bfloat16 has an 8-bit mantissa, 0.4 % per
   * rounding); the bound is 3x the largest.
   */
  private static final double LOSS_TOLERANCE = 0.02;

  @TempDir Path tmp;

  /** The logged values of three steps from the same start, and the trainer state after them. */
  private record Run(List<StepReport> reports, Map<String, float[]> parameters) {}

  /**
   * Each kind of step from the same fresh weights: step 0 is phase 1; step 1 (batch 1) a phase-2
   * generator step; step 2 (batch 2) a phase-2 discriminator step.
   */
  private Run train(Precision precision, float[] audio) {
    List<StepReport> reports = new ArrayList<>();
    Map<String, float[]> params = new java.util.LinkedHashMap<>();
    for (int step = 0; step < 3; step++) {
      params.putAll(step(precision, audio, step, reports));
    }
    assertThat(reports.get(0).warmedUp()).isFalse();
    assertThat(reports.get(1).discriminatorStep()).isFalse();
    assertThat(reports.get(2).discriminatorStep()).isTrue();
    return new Run(reports, params);
  }

  private Map<String, float[]> step(Precision precision, float[] audio, int step, List<StepReport> reports) {
    Engine.manualSeed(11);
    RaveConfig config = TinyModels.v2(1);
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, Schedule.of(config.training(), 1), 0, StepReduction.SINGLE, precision)) {
      assertThat(trainer.precision()).isEqualTo(precision);
      try (TensorScope scope = new TensorScope()) {
        reports.add(trainer.step(batch(audio, new Random(5 + step)), step, step, new ItemDraws(7, step, 0)));
      }
      assertThat(Autocast.isEnabled(Device.CPU)).as("the trainer leaves autocast off").isFalse();

      // Master weights, their gradients and both Adam states stay float32.
      Map<String, float[]> params = new java.util.LinkedHashMap<>();
      for (var module : List.<org.jrave.engine.Module>of(model, d)) {
        for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
          Tensor v = e.getValue().value();
          assertThat(v.isFloat()).as(e.getKey()).isTrue();
          if (v.grad() != null) {
            assertThat(v.grad().isFloat()).as("gradient of " + e.getKey()).isTrue();
          }
          float[] values = v.detach().toFloatArray();
          for (float x : values) {
            assertThat(x).as(e.getKey()).isFinite();
          }
          params.put(step + "." + (module == model ? "model." : "dis.") + e.getKey(), values);
        }
      }
      Map<String, Tensor> state = reports.getLast().discriminatorStep() ? trainer.discriminatorOptimizer().state()
          : trainer.generatorOptimizer().state();
      assertThat(state).as("the Adam state of the side that learnt").isNotEmpty();
      state.forEach((k, t) -> assertThat(t.isBFloat16()).as(k).isFalse());
      state.forEach((k, t) -> assertThat(t.isFloat() || k.contains("step")).as(k).isTrue());
      return params;
    }
  }

  @Test
  void bf16StepsGiveFiniteLossesCloseToFloat32WithFloat32WeightsAndOptimiser() throws Exception {
    float[] audio = TinyModels.tabla(tmp);
    Run fp32 = train(Precision.FP32, audio);
    Run again = train(Precision.FP32, audio);
    Run bf16 = train(Precision.BF16, audio);

    double worst = 0;
    boolean anyDifferent = false;
    for (int s = 0; s < 3; s++) {
      Map<String, Double> exact = fp32.reports().get(s).values();
      Map<String, Double> mixed = bf16.reports().get(s).values();
      assertThat(mixed.keySet()).isEqualTo(exact.keySet());
      // fp32 is reproducible: two runs log the same values bit for bit.
      assertThat(again.reports().get(s).values()).isEqualTo(exact);
      for (String k : List.of(LossWeights.MULTIBAND, LossWeights.FULLBAND, LossWeights.FEATURE_MATCHING,
          LossWeights.ADVERSARIAL, "loss_dis")) {
        if (!exact.containsKey(k)) {
          continue;
        }
        double a = exact.get(k);
        double b = mixed.get(k);
        assertThat(b).as("step %d %s", s, k).isFinite();
        double rel = Math.abs(b - a) / Math.max(Math.abs(a), 1e-3);
        System.out.printf("step %d %-30s fp32 %.6f bf16 %.6f rel %.2e%n", s, k, a, b, rel);
        worst = Math.max(worst, rel);
        anyDifferent |= a != b;
      }
    }
    assertThat(worst).as("largest relative difference of a loss").isLessThan(LOSS_TOLERANCE);
    // bf16 really ran: its losses differ from fp32's, which fp32 itself never does.
    assertThat(anyDifferent).isTrue();
    assertThat(again.parameters()).allSatisfy((k, v) -> assertThat(v).isEqualTo(fp32.parameters().get(k)));
    assertThat(bf16.parameters()).anySatisfy((k, v) -> assertThat(v).isNotEqualTo(fp32.parameters().get(k)));
  }

  /**
   * With activation checkpointing, the residual units recomputed during the backward pass run in
   * the forward pass's bf16 again: the step's weights are the plain bf16 step's.
   */
  @Test
  void checkpointedResidualUnitsAreRecomputedInBf16() throws Exception {
    float[] audio = TinyModels.tabla(tmp);
    for (int step : new int[] {0, 1}) {
      Map<String, float[]> plain = oneStep(audio, step, false);
      Map<String, float[]> checkpointed = oneStep(audio, step, true);
      assertThat(checkpointed.keySet()).isEqualTo(plain.keySet());
      plain.forEach((k, v) -> assertThat(checkpointed.get(k)).as("step %d %s", step, k).containsExactly(v));
    }
  }

  private static Map<String, float[]> oneStep(float[] audio, int step, boolean checkpoint) {
    Engine.manualSeed(11);
    RaveConfig config = TinyModels.v2(1);
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, Schedule.of(config.training(), 1), 0, StepReduction.SINGLE,
            Precision.BF16)) {
      trainer.setCheckpointActivations(checkpoint);
      try (TensorScope scope = new TensorScope()) {
        trainer.step(batch(audio, new Random(5 + step)), step, step, new ItemDraws(7, step, 0));
      }
      Map<String, float[]> out = new java.util.LinkedHashMap<>();
      model.namedParameters().forEach((k, p) -> out.put(k, p.value().detach().toFloatArray()));
      return out;
    }
  }

  @Test
  void insideTheScopeTheModelsConvolutionsRunInBfloat16AndLeavingItRestoresFloat32() {
    Engine.manualSeed(2);
    RaveConfig config = TinyModels.v2(1);
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        TensorScope scope = new TensorScope();
        NoGrad ignored = NoGrad.enter()) {
      Tensor x = Tensor.randn(Device.CPU, 2, 1, N).mul(0.1);
      Tensor xMb = model.analyze(x);
      assertThat(Autocast.isEnabled(Device.CPU)).isFalse();
      try (Autocast fp32 = Autocast.enter(Device.CPU, Precision.FP32)) {
        assertThat(Autocast.isEnabled(Device.CPU)).as("an fp32 scope changes nothing").isFalse();
        assertThat(model.encoder().forward(xMb).isFloat()).isTrue();
      }
      try (Autocast outer = Autocast.enter(Device.CPU, Precision.BF16)) {
        assertThat(Autocast.isEnabled(Device.CPU)).isTrue();
        assertThat(model.encoder().forward(xMb).isBFloat16()).as("encoder output").isTrue();
        List<List<Tensor>> features = d.features(x);
        assertThat(features.getFirst().getFirst().isBFloat16()).as("first discriminator feature map").isTrue();
        try (Autocast inner = Autocast.enter(Device.CPU, Precision.BF16)) {
          assertThat(Autocast.isEnabled(Device.CPU)).isTrue();
        }
        assertThat(Autocast.isEnabled(Device.CPU)).as("the inner scope restores the outer one").isTrue();
      }
      assertThat(Autocast.isEnabled(Device.CPU)).isFalse();
      assertThat(model.encoder().forward(xMb).isFloat()).isTrue();
    }
  }

  private static Tensor batch(float[] audio, Random random) {
    float[] out = new float[2 * N];
    for (int b = 0; b < 2; b++) {
      System.arraycopy(audio, random.nextInt(audio.length - N), out, b * N, N);
    }
    return Tensor.fromFloats(out, 2, 1, N);
  }
}
