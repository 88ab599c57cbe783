package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jrave.model.blocks.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Training recipes of the presets against the spec's table (section 5.1) and loss weights (4.11). */
class PresetRecipeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // presets,      phase 1, D every, valid crop, skipped, beta from, beta to, warm-up, log eps
      "v1,              1000000, 2, false, 0, 0.1,   0.1,  1,      1e-7",
      "onnx,            1000000, 2, false, 0, 0.1,   0.1,  1,      1e-7",
      "raspberry,       1000000, 2, false, 0, 0.1,   0.1,  1,      1e-7",
      "v2,              1000000, 4, true,  1, 1e-6,  5e-2, 20000,  1e-7",
      "v3,              1000000, 4, true,  1, 1e-6,  5e-2, 20000,  1e-7",
      "v2 causal noise, 1000000, 4, true,  1, 1e-6,  5e-2, 20000,  1e-7",
      "v2_small,        1000000, 2, true,  1, 0.01,  0.01, 300000, 1e-7",
      "discrete,         200000, 4, true,  0, 0.1,   0.1,  1,      1",
      "discrete_v3,      200000, 4, true,  0, 1e-6,  5e-2, 20000,  1",
      "v2 wasserstein,   200000, 4, true,  1, 100,   100,  1,      1e-7",
      "v2 spherical,     200000, 4, true,  1, 1e-6,  5e-2, 20000,  1e-7",
  })
  void recipeFollowsTheReferenceTable(String presets, int phase1, int every, boolean crop, int skipped,
      double betaFrom, double betaTo, int warmup, double logEpsilon) {
    TrainingConfig t = Presets.resolve(presets.trim().split("\\s+")).training();
    assertThat(t.phase1Duration()).isEqualTo(phase1);
    assertThat(t.updateDiscriminatorEvery()).isEqualTo(every);
    assertThat(t.validSignalCrop()).isEqualTo(crop);
    assertThat(t.numSkippedFeatures()).isEqualTo(skipped);
    assertThat(t.betaInitial()).isEqualTo(betaFrom);
    assertThat(t.betaTarget()).isEqualTo(betaTo);
    assertThat(t.betaWarmupLength()).isEqualTo(warmup);
    assertThat(t.logEpsilon()).isEqualTo(logEpsilon);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "v1,          msd,      false",
      "v2,          mpd+msd,  true",
      "v3,          descript, true",
      "discrete,    mpd+msd,  true",
      "discrete_v3, descript, true",
  })
  void discriminatorAndFeatureMatching(String preset, String discriminator, boolean relative) {
    TrainingConfig t = Presets.resolve(preset).training();
    assertThat(t.discriminator()).isEqualTo(discriminator);
    assertThat(t.featureMatchingRelative()).isEqualTo(relative);
  }

  @Test
  void lossWeightBindingsReplaceRatherThanMerge() {
    assertThat(Presets.resolve("v1").training().weights()).isEqualTo(Map.of("feature_matching", 10.0));
    assertThat(Presets.resolve("v2").training().weights()).isEqualTo(Map.of("feature_matching", 20.0));
    assertThat(Presets.resolve("v2", "wasserstein").training().weights()).isEqualTo(Map.of(
        "fullband_spectral_distance", 2.0, "multiband_spectral_distance", 2.0, "adversarial", 2.0));
  }

  @Test
  void architecturesOfTheNewPresets() {
    assertThat(Presets.resolve("v1").encoder()).isInstanceOf(EncoderV1Config.class);
    assertThat(Presets.resolve("onnx").decoder()).isInstanceOfSatisfying(GeneratorV1Config.class, g -> {
      assertThat(g.capacity()).isEqualTo(32);
      assertThat(g.noise()).isNull();
    });
    assertThat(Presets.resolve("raspberry").decoder()).isInstanceOfSatisfying(GeneratorV1Config.class,
        g -> assertThat(g.capacity()).isEqualTo(16));
    assertThat(Presets.resolve("v3").encoder()).isInstanceOfSatisfying(EncoderV2Config.class, e -> {
      assertThat(e.adain()).isTrue();
      assertThat(e.activation()).isEqualTo(Activation.SNAKE);
    });
    assertThat(Presets.resolve("discrete").latent()).isEqualTo(new LatentConfig.Discrete(16, 1024, 128));
    assertThat(Presets.resolve("discrete").encoder().hopLength()).isEqualTo(64);
    assertThat(Presets.resolve("v2", "spherical").latent()).isEqualTo(new LatentConfig.Spherical());
  }
}
