package org.jrave.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Safetensors;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.config.Presets;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.io.ModelFile;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

  @Test
  void savedModelReloadsWithTheSameConfigAndOutput(@TempDir Path dir) throws Exception {
    RaveConfig config = Presets.builder(java.util.List.of("v2", "noise", "causal")).capacity(4).build();
    Path file = dir.resolve("m.jrave");
    float[] before;
    float[] after;
    try (RaveModel model = RaveFactory.build(config); TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      ModelFile.save(model, file);
      Tensor x = Tensor.randn(org.jrave.engine.Device.CPU, 1, 1, 4096).mul(0.1);
      before = model.forwardDeterministic(x).toFloatArray();
      try (RaveModel loaded = ModelFile.load(file)) {
        assertThat(loaded.config()).isEqualTo(config);
        after = loaded.forwardDeterministic(x).toFloatArray();
      }
    }
    assertThat(after).containsExactly(before);
  }

  @Test
  void plainSafetensorsIsRejectedWithAnExplanation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.safetensors");
    try (TensorScope s = new TensorScope()) {
      Safetensors.write(file, Map.of("a", Tensor.zeros(2)), Map.of());
    }
    assertThatThrownBy(() -> ModelFile.load(file)).hasMessageContaining("not a jrave model").hasMessageContaining("config.gin");
  }

  @Test
  void missingAndMisshapedTensorsAreNamed(@TempDir Path dir) throws Exception {
    RaveConfig config = Presets.builder(java.util.List.of("v2")).capacity(4).build();
    try (RaveModel model = RaveFactory.build(config); TensorScope s = new TensorScope()) {
      var state = new java.util.LinkedHashMap<String, Tensor>();
      model.stateEntries().forEach((k, v) -> state.put(k, v.value()));
      state.remove("decoder.net.0.weight_g");
      state.put("encoder.encoder.net.0.weight_v", Tensor.zeros(3, 3, 3));
      var report = model.loadStateDict(state);
      assertThat(report.missing()).anyMatch(m -> m.startsWith("decoder.net.0.weight_g"));
      assertThat(report.mismatched()).anyMatch(m -> m.contains("encoder.encoder.net.0.weight_v") && m.contains("[3, 3, 3]"));
      assertThatThrownBy(() -> report.requireComplete("test weights")).hasMessageContaining("decoder.net.0.weight_g");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"v1", "v2", "v2_small", "v3", "discrete", "onnx", "raspberry",
      "v2 wasserstein", "v2 spherical", "v2 causal noise snake adain"})
  void everyPresetConfigSurvivesTheJsonRoundTrip(String presets) {
    RaveConfig config = Presets.resolve(presets.split(" "));
    assertThat(org.jrave.model.io.ConfigJson.read(org.jrave.model.io.ConfigJson.write(config))).isEqualTo(config);
  }
}
