package org.jrave.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.model.config.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Full-size parameter counts of every buildable preset against the spec's table (section 3.10,
 * weight-norm gains included, buffers excluded). Only builds models; runs no forward pass.
 */
class ModelFamilySizeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "v1,               4834176, 12778193",
      "v2,              16056928, 15479072",
      "v2_small,         3945904,  3816608",
      "v3,              16059904, 15482048",
      "discrete,        14287328, 14889248",
      "discrete_v3,     14290304, 14892224",
      "v2 wasserstein,  14950768, 15552800",
      "v2 spherical,    14950768, 14962976",
      "v2 noise,        16056928, 15634720",
      "onnx,             1374656,  3417969",
      "raspberry,         426720,   971201",
      "v2 causal,       16056928, 15479072",
      "v2 adain snake,  16059904, 15482048",
  })
  void encoderAndDecoderHaveTheReferenceParameterCounts(String presets, long encoder, long decoder) {
    try (RaveModel model = build(presets)) {
      assertThat(model.encoder().parameterCount()).as("encoder").isEqualTo(encoder);
      assertThat(((Module) model.decoder()).parameterCount()).as("decoder").isEqualTo(decoder);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "v2,        16046592, 15467520",
      "v2_small,   3940608,  3810816",
      "discrete,  14277120, 14877696",
  })
  void countsWithoutWeightNormGainsMatchTheReference(String presets, long encoder, long decoder) {
    try (RaveModel model = build(presets)) {
      assertThat(countWithoutGains(model.encoder())).as("encoder").isEqualTo(encoder);
      assertThat(countWithoutGains((Module) model.decoder())).as("decoder").isEqualTo(decoder);
    }
  }

  @Test
  void v1DecoderWithoutGainsMatchesTheReference() {
    try (RaveModel model = build("v1")) {
      assertThat(countWithoutGains((Module) model.decoder())).isEqualTo(12_769_472L);
    }
  }

  private static long countWithoutGains(Module module) {
    return module.namedParameters().entrySet().stream()
        .filter(e -> !e.getKey().endsWith("weight_g"))
        .map(Map.Entry::getValue)
        .mapToLong(ModelFamilySizeTest::numel)
        .sum();
  }

  private static long numel(Parameter p) {
    return Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b);
  }

  static RaveModel build(String presets) {
    return RaveFactory.build(Presets.resolve(presets.trim().split("\\s+")));
  }
}
