package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jrave.model.config.gin.GinConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every preset written as gin and read back by {@link GinModelConfig} is the same configuration. */
class PresetGinTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v1", "onnx", "raspberry", "v2", "v2_small", "v3", "v2 causal noise", "v2 snake adain",
      "discrete", "discrete_v3", "v2 wasserstein", "v2 spherical", "v2_small causal"})
  void aPresetSurvivesTheRoundTripThroughGin(String presets) {
    for (int channels : new int[] {1, 2}) {
      RaveConfig config = Presets.builder(List.of(presets.split(" "))).channels(channels).build();
      GinConfig gin = PresetGin.of(config);
      assertThat(PresetGin.restore(gin, config)).as(gin.toString()).isEqualTo(config);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v2", "v1", "discrete"})
  void sharedValuesReferToTheirMacro(String preset) {
    GinConfig gin = PresetGin.of(Presets.resolve(preset));
    assertThat(gin.bindings()).filteredOn(b -> b.parameter().equals("capacity"))
        .isNotEmpty().allSatisfy(b -> assertThat(b.value()).hasToString("%CAPACITY"));
    assertThat(gin.macros().keySet()).isSubsetOf(PresetGin.MACROS.keySet());
  }
}
