package org.jrave.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.jrave.model.config.Presets;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private final Schedule v2 = Schedule.of(Presets.resolve("v2").training(), 1_000_000);

  @Test
  void betaWarmsUpLogLinearlyThenStaysAtTarget() {
    // v2: 1e-6 -> 5e-2 over 20 000 steps; batch n = step + 1.
    assertThat(v2.beta(0)).isCloseTo(Math.exp((1 - 1 / 20000.0) * Math.log(1e-6) + Math.log(5e-2) / 20000.0), within(1e-15));
    assertThat(v2.beta(9_999)).isCloseTo(Math.sqrt(1e-6 * 5e-2), within(1e-12));
    assertThat(v2.beta(19_998)).isLessThan(5e-2);
    assertThat(v2.beta(19_999)).isEqualTo(5e-2);
    assertThat(v2.beta(500_000)).isEqualTo(5e-2);
    Schedule discrete = Schedule.of(Presets.resolve("discrete").training(), 200_000);
    assertThat(discrete.beta(0)).isEqualTo(0.1);
  }

  @Test
  void generatorRateDecaysLinearlyToATenthOverPhaseOne() {
    assertThat(v2.generatorRate(0)).isEqualTo(1e-3);
    assertThat(v2.generatorRate(500_000)).isCloseTo(5.5e-4, within(1e-12));
    assertThat(v2.generatorRate(1_000_000)).isCloseTo(1e-4, within(1e-12));
    assertThat(v2.generatorRate(3_000_000)).isCloseTo(1e-4, within(1e-12));
    assertThat(v2.discriminatorRate()).isEqualTo(1e-4);
  }

  @Test
  void discriminatorUpdatesOnEveryFourthBatchOfAnEpochInPhaseTwoOnly() {
    Schedule s = Schedule.of(Presets.resolve("v2").training(), 10);
    assertThat(s.updatesDiscriminator(9, 0)).isFalse();
    assertThat(s.warmedUp(9)).isFalse();
    assertThat(s.warmedUp(10)).isTrue();
    // batch index inside the epoch decides, not the global step.
    assertThat(s.updatesDiscriminator(10, 0)).isTrue();
    assertThat(s.updatesDiscriminator(11, 1)).isFalse();
    assertThat(s.updatesDiscriminator(13, 3)).isFalse();
    assertThat(s.updatesDiscriminator(14, 4)).isTrue();
    assertThat(s.updatesDiscriminator(15, 0)).isTrue();
    Schedule small = Schedule.of(Presets.resolve("v2_small").training(), 0);
    assertThat(small.updatesDiscriminator(2, 2)).isTrue();
    assertThat(small.updatesDiscriminator(3, 3)).isFalse();
  }

  @Test
  void featureMatchingAndAdversarialWeightsApplyTwiceAsInTheReference() {
    LossWeights v2Weights = new LossWeights(Presets.resolve("v2").training().weights());
    assertThat(v2Weights.effective(LossWeights.FEATURE_MATCHING)).isEqualTo(400);
    assertThat(v2Weights.effective(LossWeights.ADVERSARIAL)).isEqualTo(1);
    assertThat(v2Weights.effective(LossWeights.MULTIBAND)).isEqualTo(1);
    assertThat(new LossWeights(Presets.resolve("v1").training().weights()).effective(LossWeights.FEATURE_MATCHING))
        .isEqualTo(100);
    LossWeights wasserstein = new LossWeights(Presets.resolve("v2", "wasserstein").training().weights());
    assertThat(wasserstein.effective(LossWeights.FULLBAND)).isEqualTo(2);
    assertThat(wasserstein.effective(LossWeights.MULTIBAND)).isEqualTo(2);
    assertThat(wasserstein.effective(LossWeights.ADVERSARIAL)).isEqualTo(4);
    assertThat(wasserstein.effective(LossWeights.FEATURE_MATCHING)).isEqualTo(400);
    assertThat(new LossWeights(Map.of()).effective(LossWeights.REGULARIZATION)).isEqualTo(1);
  }
}
