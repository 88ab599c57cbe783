package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.config.RaveConfig;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every preset family trains through both phases with its own regulariser and discriminator
 * (discrete is left out: its k-means initialisation of 16 x 1024 codes takes about a minute here).
 */
class PresetFamiliesTest {

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v3", "v2+wasserstein", "v2+spherical"})
  void phaseOneThenBothPhaseTwoStepsGiveFiniteLosses(String presets) {
    Engine.initialize(2);
    Engine.manualSeed(11);
    RaveConfig config = Presets.builder(List.of(presets.split("\\+"))).override("capacity", "4").build();
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        Trainer trainer = new Trainer(model, d, Schedule.of(config.training(), 1), 0)) {
      Random random = new Random(3);
      for (long step = 0; step < 3; step++) {
        try (TensorScope scope = new TensorScope()) {
          float[] x = new float[2 * 8192];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(i * 0.05 * (1 + i / 8192)) + 0.01 * random.nextGaussian());
          }
          // step 0: phase 1; step 1: batch 0 of the epoch -> discriminator; step 2: batch 1 -> generator.
          StepReport r = trainer.step(Tensor.fromFloats(x, 2, 1, 8192), step, step - 1);
          assertThat(r.values().values()).allSatisfy(v -> assertThat(v).isFinite());
          assertThat(r.discriminatorStep()).isEqualTo(step == 1);
          if (step == 0 && !presets.contains("spherical")) {
            // Spherical has no regulariser; every other family logs one from the first step.
            assertThat(r.values()).containsKey(LossWeights.REGULARIZATION);
          }
          if (step == 2) {
            assertThat(r.values()).containsKeys(LossWeights.FEATURE_MATCHING, LossWeights.ADVERSARIAL);
          }
        }
      }
    }
  }
}
