package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;

import org.jrave.model.RaveModel;
import org.junit.jupiter.api.Test;

/** Channel handling and PCA-basis latent edits of the signal transformer. */
class GeneratorTest {

  private static float[][] tone(int channels, int length) {
    float[][] x = new float[channels][length];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < length; i++) {
        x[c][i] = (float) (0.3 * Math.sin(2 * Math.PI * (220 * (c + 1)) * i / 44100.0));
      }
    }
    return x;
  }

  @Test
  void aMonoModelTransformsEachChannelOnItsOwn() {
    try (RaveModel mono = PlayModels.causalSmall(4, 1)) {
      Generator g = new Generator(mono, LatentShaper.identity(mono), true, null);
      float[][] stereo = tone(2, 10000);
      float[][] y = g.transform(stereo);
      assertThat(y).hasDimensions(2, 10000);
      assertThat(y[0]).containsExactly(g.transform(new float[][] {stereo[0]})[0]);
      assertThat(y[1]).containsExactly(g.transform(new float[][] {stereo[1]})[0]);
    }
  }

  @Test
  void aStereoModelTakesMonoAndGivesMonoBack() {
    try (RaveModel stereo = PlayModels.causalSmall(4, 2)) {
      Generator g = new Generator(stereo, LatentShaper.identity(stereo), true, null);
      float[][] mono = tone(1, 8192);
      float[][] y = g.transform(mono);
      assertThat(y).hasDimensions(1, 8192);
      float[][] both = g.transform(new float[][] {mono[0], mono[0]});
      for (int i = 0; i < 8192; i++) {
        assertThat(y[0][i]).isCloseTo((both[0][i] + both[1][i]) / 2, org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void biasActsInThePcaBasis() {
    try (RaveModel model = PlayModels.causalSmall(4, 1)) {
      // A rotation as PCA: dimension 0 of the PCA basis is encoder dimension 1.
      int z = model.config().latentSize();
      float[] pca = new float[z * z];
      for (int i = 0; i < z; i++) {
        int j = i == 0 ? 1 : i == 1 ? 0 : i;
        pca[i * z + j] = 1f;
      }
      model.latentPca().copyInPlace(org.jrave.engine.Tensor.fromFloats(pca, z, z));
      LatentShaper shaper = new LatentShaper(model, z, 1f);
      shaper.control().setBias(0, 2f);
      try (var scope = new org.jrave.engine.TensorScope()) {
        org.jrave.engine.Tensor latent = org.jrave.engine.Tensor.zeros(1, z, 3);
        float[] edited = shaper.apply(latent).toFloatArray();
        for (int d = 0; d < z; d++) {
          for (int t = 0; t < 3; t++) {
            assertThat(edited[d * 3 + t]).isEqualTo(d == 1 ? 2f : 0f);
          }
        }
      }
    }
  }
}
