package org.jrave.train.discriminator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.junit.jupiter.api.Test;

/** Feature-map shapes of spec section 4, at a small capacity and a short signal. */
class DiscriminatorShapesTest {

  @Test
  void multiPeriodAndMultiScaleFollowTheConvNetLayout() {
    // Seeded: the weights and input are random draws, and the mass check depends on them (unseeded,
    // it depended on what earlier tests in the same JVM had drawn from torch's generator).
    Engine.manualSeed(11);
    try (TensorScope scope = new TensorScope(); Discriminator d = Discriminators.build("mpd+msd", 1, 4)) {
      List<List<Tensor>> scales = d.features(Tensor.randn(Device.CPU, 2, 1, 4096));
      assertThat(scales).hasSize(8).allSatisfy(s -> assertThat(s).hasSize(5));
      // MPD p=2: (4, 512, 2), (8, 128, 2), (16, 32, 2), (32, 8, 2), logits (1, 8, 2).
      assertThat(scales.get(0).get(0).shape()).containsExactly(2, 4, 512, 2);
      assertThat(scales.get(0).get(3).shape()).containsExactly(2, 32, 8, 2);
      assertThat(scales.get(0).get(4).shape()).containsExactly(2, 1, 8, 2);
      // MPD p=3 pads 4096 to 4098: 1366 rows -> 342 -> 86 -> 22 -> 6.
      assertThat(scales.get(1).get(4).shape()).containsExactly(2, 1, 6, 3);
      // ConvNet maps are taken before the activation: negative and positive parts alike.
      assertThat(negativeToPositiveMass(scales.get(5).get(0))).isGreaterThan(0.5);
      // MSD scale 0: (4, 1024), (8, 256), (16, 64), (32, 16), (1, 16); scale 1 halves.
      assertThat(scales.get(5).get(0).shape()).containsExactly(2, 4, 1024);
      assertThat(scales.get(5).get(4).shape()).containsExactly(2, 1, 16);
      assertThat(scales.get(6).get(4).shape()).containsExactly(2, 1, 8);
    }
  }

  @Test
  void descriptHasFivePeriodAndThreeResolutionScales() {
    try (TensorScope scope = new TensorScope(); Discriminator d = Discriminators.build("descript", 1, 4)) {
      List<List<Tensor>> scales = d.features(Tensor.randn(Device.CPU, 2, 1, 4096));
      assertThat(scales).hasSize(8);
      assertThat(scales.subList(0, 5)).allSatisfy(s -> assertThat(s).hasSize(6));
      assertThat(scales.subList(5, 8)).allSatisfy(s -> assertThat(s).hasSize(26));
      // p = 2, T a multiple: a full period of reflect padding -> 2049 rows, strides 3 four times.
      assertThat(scales.get(0).get(0).shape()).containsExactly(2, 32, 683, 2);
      // MRD 2048: 9 frames, 1025 bins; band [0, 102) keeps its width through the first conv, then
      // three stride-2 convs give ceil(w / 8): bands 102, 154, 256, 256, 257 -> 13, 20, 32, 32, 33.
      assertThat(scales.get(5).get(0).shape()).containsExactly(2, 32, 9, 102);
      assertThat(scales.get(5).get(25).shape()).containsExactly(2, 1, 9, 13 + 20 + 32 + 32 + 33);
      // Feature maps are taken after LeakyReLU(0.1): negative values are shrunk tenfold.
      assertThat(negativeToPositiveMass(scales.get(0).get(0))).isLessThan(0.3);
    }
  }

  /** Sum of |negative values| over sum of positive values. */
  private static double negativeToPositiveMass(Tensor map) {
    return map.neg().relu().sum().item() / map.relu().sum().item();
  }

  @Test
  void spectralOneDimensionalTakesRealAndImaginaryChannels() {
    try (TensorScope scope = new TensorScope(); Discriminator d = Discriminators.build("spectral1d", 1, 4)) {
      List<List<Tensor>> scales = d.features(Tensor.randn(Device.CPU, 2, 1, 8192));
      assertThat(scales).hasSize(5);
      // n = 4096, hop 1024, not centred: 5 frames; conv stride 2 with padding 2 -> 3.
      assertThat(scales.get(0).get(0).shape()).containsExactly(2, 4, 3);
      assertThat(scales.get(4).get(4).size(1)).isEqualTo(1);
    }
  }
}
