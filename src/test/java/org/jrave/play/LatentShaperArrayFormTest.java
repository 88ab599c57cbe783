package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.junit.jupiter.api.Test;

/**
 * The live (array) form of {@link LatentShaper} is the tensor form: on a model with a non-trivial
 * PCA basis (a random orthogonal matrix) and latent mean, biasing and scaling PCA dimensions
 * frame by frame on rows gives what the tensor edit gives.
 */
class LatentShaperArrayFormTest {
  private static final double TOLERANCE = 1e-5;

  @Test
  void arrayFormEqualsTensorForm() {
    Engine.initialize(2);
    Engine.manualSeed(31);
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of("v2")).capacity(4).build());
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      int size = model.config().latentSize();
      Tensor orthogonal = Tensor.randn(Device.CPU, size, size).svd()[0].contiguous();
      model.namedBuffers().get("latent_pca").assign(orthogonal);
      model.namedBuffers().get("latent_mean").assign(Tensor.randn(Device.CPU, size).mul(0.5));
      // The basis is really not the identity, and is orthogonal.
      float[] pca = model.latentPca().toFloatArray();
      assertThat(Math.abs(pca[0])).isLessThan(0.99f);
      float[] gram = orthogonal.matmul(orthogonal.transpose(0, 1)).toFloatArray();
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          assertThat((double) gram[i * size + j]).isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(1e-4));
        }
      }

      LatentShaper shaper = new LatentShaper(model, size, 1f);
      shaper.control().setBias(0, 1.5f);
      shaper.control().setBias(3, -0.75f);
      shaper.control().setScale(1, 0.25f);
      shaper.control().setScale(5, 2f);
      shaper.control().setBias(5, 0.3f);
      shaper.control().setScale(size - 1, 0f);

      int frames = 16;
      Tensor z = Tensor.randn(Device.CPU, 1, size, frames);
      float[] expected = shaper.apply(z).contiguous().toFloatArray();
      float[] flat = z.toFloatArray();
      float[][] rows = new float[size][frames];
      for (int d = 0; d < size; d++) {
        System.arraycopy(flat, d * frames, rows[d], 0, frames);
      }
      shaper.applyInPlace(rows);

      double peak = 0;
      double worst = 0;
      double change = 0;
      for (int d = 0; d < size; d++) {
        for (int f = 0; f < frames; f++) {
          float e = expected[d * frames + f];
          peak = Math.max(peak, Math.abs(e));
          worst = Math.max(worst, Math.abs(e - rows[d][f]));
          change = Math.max(change, Math.abs(e - flat[d * frames + f]));
        }
      }
      assertThat(change).as("the edit changes the latent").isGreaterThan(0.1);
      assertThat(worst / peak).as("max error relative to the peak").isLessThanOrEqualTo(TOLERANCE);
    }
  }
}
