package org.jrave.model.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.golden.Golden;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.blocks.BatchNorm1d;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.config.GeneratorV1Config;
import org.jrave.model.config.NoiseV1Config;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.Test;

class GeneratorV1Test {
  private static final List<List<Integer>> DILATIONS = List.of(List.of(1, 1), List.of(3, 1), List.of(5, 1));

  private static GeneratorV1Config config(int loudStride, NoiseV1Config noise) {
    return new GeneratorV1Config(8, 4, List.of(4, 4, 4, 2), 16, loudStride, List.of(3), DILATIONS, noise);
  }

  @Test
  void upsamplesByTheProductOfRatiosIntoBoundedBands() {
    try (GeneratorV1 g = new GeneratorV1(config(1, new NoiseV1Config(List.of(4, 4, 4), 5)), PaddingMode.CENTERED);
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor y = g.forward(Tensor.randn(Device.CPU, 2, 8, 3));
      assertThat(y.shape()).containsExactly(2, 16, 3 * 128);
      // tanh(wave) * mod_sigmoid(loudness) lies in (-2, 2) before the noise is added.
      assertThat(y.maxAbs()).isLessThan(2f);
    }
  }

  @Test
  void loudnessStrideKeepsTheOutputLength() {
    try (GeneratorV1 g = new GeneratorV1(config(2, null), PaddingMode.CENTERED);
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      assertThat(g.forward(Tensor.randn(Device.CPU, 1, 8, 2)).shape()).containsExactly(1, 16, 256);
    }
  }

  @Test
  void noiseIsAddedOnlyOnceWarmedUp() {
    try (GeneratorV1 g = new GeneratorV1(config(1, new NoiseV1Config(List.of(4, 4, 4), 5)), PaddingMode.CENTERED);
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor z = Tensor.randn(Device.CPU, 1, 8, 2);
      Tensor uniform = Tensor.rand(Device.CPU, 1, 2 * 128 / 64, 16, 64);
      NoiseSource replay = (device, shape) -> {
        assertThat(shape).containsExactly(uniform.shape());
        return uniform;
      };
      Tensor cold = g.forward(z, replay);
      Golden.assertClose("no noise before warm-up", cold, g.forward(z, NoiseSource.RANDOM), 0, 0);

      g.setWarmedUp(true);
      assertThat(g.warmedUp()).isTrue();
      Tensor warm = g.forward(z, replay);
      Tensor noise = g.noiseModule().forward(g.net().forward(z), replay);
      assertThat(noise.abs().sum().item()).isGreaterThan(0f);
      Golden.assertClose("warm = cold + noise", warm, cold.add(noise), 1e-6, 1e-5);
    }
  }

  @Test
  void v1ModelRunsEndToEnd() {
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of("v1")).capacity(4).build());
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.randn(Device.CPU, 1, 1, 4096).mul(0.1);
      Tensor raw = model.encodeRaw(x);
      assertThat(raw.shape()).containsExactly(1, 256, 2);
      assertThat(model.forward(x).shape()).containsExactly(1, 1, 4096);
      model.train(true);
      model.encodeRaw(Tensor.randn(Device.CPU, 2, 1, 4096));
      EncoderV1 encoder = (EncoderV1) model.encoder().inner();
      var bn = (BatchNorm1d) encoder.net().layers().get(1);
      assertThat(bn.batchesTracked()).as("training updates the running statistics").isEqualTo(1);
    }
  }
}
