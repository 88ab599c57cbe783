package org.jrave.model.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.golden.Golden;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.Test;

class LatentVariantsTest {

  @Test
  void sphericalAngleMapsInvertEachOther() {
    try (TensorScope scope = new TensorScope()) {
      Tensor x = Tensor.randn(Device.CPU, 3, 8, 5);
      Tensor unit = x.div(x.square().sum(1, true).sqrt());
      Tensor angles = SphericalEncoder.toAngles(x);
      assertThat(angles.shape()).containsExactly(3, 7, 5);
      for (float a : angles.toFloatArray()) {
        assertThat(a).isBetween(-1f, 1f);
      }
      Golden.assertClose("fromAngles(toAngles(x))", SphericalEncoder.fromAngles(angles), unit, 1e-5, 1e-4);
      Golden.assertClose("toAngles(fromAngles(a))", SphericalEncoder.toAngles(SphericalEncoder.fromAngles(angles)), angles, 1e-5, 1e-4);
    }
  }

  @Test
  void theLastAngleCoversTheFullCircle() {
    try (TensorScope scope = new TensorScope()) {
      // D = 2: the one angle is the polar angle t of (cos t, sin t), mapped from [0, 2 pi) to [-1, 1).
      float[] angles = SphericalEncoder.toAngles(Tensor.fromFloats(new float[] {1, 0, -1, 0, 0, 1, 0, -1}, 1, 2, 4)).toFloatArray();
      assertThat(angles[0]).isCloseTo(-1f, within(1e-6f)); // t = 0
      assertThat(angles[1]).isCloseTo(-0.5f, within(1e-6f)); // t = pi / 2
      assertThat(angles[2]).isCloseTo(0f, within(1e-6f)); // t = pi
      assertThat(angles[3]).isCloseTo(0.5f, within(1e-6f)); // t = 3 pi / 2
    }
  }

  @Test
  void sphericalLatentHasUnitNormAndNoRegulariser() {
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of("v2", "spherical")).capacity(4).build());
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor raw = model.encodeRaw(Tensor.randn(Device.CPU, 1, 1, 4096));
      LatentEncoder.Reparametrized r = model.encoder().reparametrize(raw);
      assertThat(r.z().shape()).containsExactly(1, 16, 2);
      Golden.assertClose("norms", r.z().square().sum(1, false).sqrt(), Tensor.ones(1, 2), 1e-6, 1e-6);
      assertThat(r.regularization().item()).isZero();
    }
  }

  @Test
  void mmdIsZeroForIdenticalSetsAndFollowsTheGaussianKernel() {
    try (TensorScope scope = new TensorScope()) {
      float[] a = {0, 0, 1, 0, 0, 2};
      float[] b = {1, 1, 0, 1, 2, 2, 0, 0, 0};
      Tensor x = Tensor.fromFloats(a, 2, 3);
      Tensor y = Tensor.fromFloats(b, 3, 3);
      assertThat(WassersteinEncoder.mmd(x, x).item()).isCloseTo(0f, within(1e-6f));
      double expected = kernelMean(a, 2, a, 2) + kernelMean(b, 3, b, 3) - 2 * kernelMean(a, 2, b, 3);
      assertThat((double) WassersteinEncoder.mmd(x, y).item()).isCloseTo(expected, within(1e-6));
      assertThat(expected).isGreaterThan(0.01);
    }
  }

  private static double kernelMean(float[] x, int n, float[] y, int m) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double d2 = 0;
        for (int k = 0; k < 3; k++) {
          d2 += (x[i * 3 + k] - y[j * 3 + k]) * (x[i * 3 + k] - y[j * 3 + k]);
        }
        sum += Math.exp(-d2 / 9);
      }
    }
    return sum / (n * m);
  }

  @Test
  void wassersteinAndDiscreteDecodersGet128NoiseChannels() {
    assertThat(((GeneratorV2Config) Presets.resolve("v2", "wasserstein").decoder()).latentInputSize()).isEqualTo(16 + 128);
    assertThat(((GeneratorV2Config) Presets.resolve("discrete").decoder()).latentInputSize()).isEqualTo(128 + 128);
    assertThat(((GeneratorV2Config) Presets.resolve("v2", "spherical").decoder()).latentInputSize()).isEqualTo(16);
  }

  @Test
  void wassersteinAppendsNoiseAndRegularisesWithMmd() {
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of("v2", "wasserstein")).capacity(4).build());
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor raw = model.encodeRaw(Tensor.randn(Device.CPU, 2, 1, 4096));
      assertThat(raw.shape()).containsExactly(2, 16, 2);
      LatentEncoder.Reparametrized r = model.encoder().reparametrize(raw);
      assertThat(r.z().shape()).containsExactly(2, 144, 2);
      Golden.assertClose("latent part", r.z().narrow(1, 0, 16), raw, 0, 0);
      assertThat(r.z().narrow(1, 16, 128).abs().sum().item()).as("noise channels").isGreaterThan(0f);
      assertThat(r.regularization().item()).isGreaterThan(0f);
      Tensor deterministic = model.encoder().deterministic(raw);
      assertThat(deterministic.narrow(1, 16, 128).abs().sum().item()).isZero();
      assertThat(model.decode(r.z(), NoiseSource.SILENT).shape()).containsExactly(2, 1, 4096);
    }
  }

  @Test
  void discreteModelQuantisesEncodesAndDecodesIndices() {
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of("discrete")).capacity(4).build());
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      DiscreteEncoder encoder = (DiscreteEncoder) model.encoder();
      assertThat(encoder.quantizationEnabled()).as("quantisation on from the start").isTrue();
      // Random trained-looking codebooks, so no k-means seeding runs (slow with 16 x 1024 codes).
      Map<String, Tensor> codebooks = new HashMap<>();
      for (int i = 0; i < 16; i++) {
        String prefix = "encoder.rvq.layers." + i + "._codebook.";
        Tensor embed = Tensor.randn(Device.CPU, 1024, 128).mul(0.1 / (i + 1));
        codebooks.put(prefix + "inited", Tensor.ones(1));
        codebooks.put(prefix + "cluster_size", Tensor.full(1, 1024));
        codebooks.put(prefix + "embed", embed);
        codebooks.put(prefix + "embed_avg", embed);
      }
      assertThat(model.loadStateDict(codebooks).mismatched()).isEmpty();

      Tensor raw = model.encodeRaw(Tensor.randn(Device.CPU, 2, 1, 16384));
      assertThat(raw.shape()).containsExactly(2, 128, 16);
      LatentEncoder.Reparametrized r = encoder.reparametrize(raw);
      assertThat(r.z().shape()).containsExactly(2, 256, 16);
      assertThat(r.regularization().item()).isGreaterThan(0f);

      Tensor indices = encoder.encodeIndices(raw);
      assertThat(indices.shape()).containsExactly(2, 16, 16);
      Tensor decoded = encoder.decodeIndices(indices);
      assertThat(decoded.shape()).containsExactly(2, 256, 16);
      Golden.assertClose("decodeIndices", decoded.narrow(1, 0, 128), r.z().narrow(1, 0, 128), 1e-5, 1e-4);
      Golden.assertClose("deterministic", encoder.deterministic(raw).narrow(1, 0, 128), r.z().narrow(1, 0, 128), 1e-5, 1e-4);
      assertThat(model.decode(r.z(), NoiseSource.SILENT).shape()).containsExactly(2, 1, 16384);

      encoder.setQuantizationEnabled(false);
      LatentEncoder.Reparametrized off = encoder.reparametrize(raw);
      Golden.assertClose("unquantised", off.z().narrow(1, 0, 128), raw, 0, 0);
      assertThat(off.regularization().item()).isZero();
    }
  }
}
