package org.jrave.model.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.golden.Golden;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.config.EncoderV1Config;
import org.junit.jupiter.api.Test;

class EncoderV1Test {

  @Test
  void downsamplesByTheProductOfRatiosToMeanAndScale() {
    EncoderV1Config c = new EncoderV1Config(16, 4, List.of(4, 4, 4, 2), 8, 2, false, 1);
    try (EncoderV1 encoder = new EncoderV1(c, PaddingMode.CENTERED); TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      assertThat(encoder.forward(Tensor.randn(Device.CPU, 1, 16, 512)).shape()).containsExactly(1, 16, 4);
      assertThat(encoder.net().size()).isEqualTo(1 + 4 * 3 + 2);
    }
  }

  @Test
  void theLatentHalvesAreComputedFromSeparateChannelGroups() {
    EncoderV1Config c = new EncoderV1Config(16, 4, List.of(2), 3, 2, false, 1);
    try (EncoderV1 encoder = new EncoderV1(c, PaddingMode.CENTERED); TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      encoder.eval();
      var net = encoder.net().layers();
      Tensor features = Tensor.randn(Device.CPU, 1, 8, 10);
      // Changing the second half of the final conv's input leaves the first output group unchanged.
      Tensor changed = Tensor.cat(List.of(features.narrow(1, 0, 4), Tensor.randn(Device.CPU, 1, 4, 10)), 1);
      Tensor a = net.get(net.size() - 1).forward(features);
      Tensor b = net.get(net.size() - 1).forward(changed);
      Golden.assertClose("mean group", a.narrow(1, 0, 3), b.narrow(1, 0, 3), 0, 0);
      assertThat(a.narrow(1, 3, 3).sub(b.narrow(1, 3, 3)).abs().sum().item()).isGreaterThan(0f);
    }
  }

  @Test
  void sampleNormAndRepeatedLayersAreAvailable() {
    EncoderV1Config c = new EncoderV1Config(16, 4, List.of(4, 2), 8, 2, true, 2);
    try (EncoderV1 encoder = new EncoderV1(c, PaddingMode.CENTERED); TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      assertThat(encoder.net().size()).isEqualTo(1 + 2 * 6 + 2);
      assertThat(encoder.net().layers().get(1)).isInstanceOf(SampleNorm.class);
      assertThat(encoder.forward(Tensor.randn(Device.CPU, 1, 16, 64)).shape()).containsExactly(1, 16, 8);
      Tensor normed = new SampleNorm().forward(Tensor.randn(Device.CPU, 2, 5, 7));
      Golden.assertClose("unit frames", normed.square().sum(1, false), Tensor.ones(2, 7), 1e-6, 1e-6);
    }
  }
}
