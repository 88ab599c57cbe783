package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.jrave.interop.NnTildeFixture.Style;
import org.jrave.interop.TorchScriptModel.MethodSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptModelTest {
  @TempDir Path dir;

  static final int RATIO = 64;
  static final int LATENT = 4;

  private static float[][] noise(int channels, int n, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[channels][n];
    for (float[] c : x) {
      for (int i = 0; i < n; i++) {
        c[i] = (float) r.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void discoversTheNnTildeInterface() throws IOException {
    Path file = dir.resolve("m.ts");
    NnTildeFixture.write(file, Style.MODERN, 44100, 2, LATENT, RATIO);
    try (TorchScriptModel m = TorchScriptModel.open(file)) {
      assertThat(m.methods().keySet()).containsExactly("encode", "decode", "forward");
      assertThat(m.requireMethod("encode")).isEqualTo(new MethodSpec("encode", 2, 1, LATENT, RATIO));
      assertThat(m.requireMethod("decode")).isEqualTo(new MethodSpec("decode", LATENT, RATIO, 2, 1));
      assertThat(m.sampleRate()).isEqualTo(44100);
      assertThat(m.attributes().keySet()).containsExactly("learn_target", "reset_target");
      assertThat(m.attributes().get("learn_target").type()).isEqualTo("bool");
      assertThat(m.scalar("latent_size")).contains(4L);
      assertThat(m.scalar("input_mode")).contains("pqmf");
      assertThat(m.getAttribute("learn_target")).isEqualTo(false);
      m.setAttribute("learn_target", true);
      assertThat(m.getAttribute("learn_target")).isEqualTo(true);
      assertThatThrownBy(() -> m.setAttribute("learn_target", "yes")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.getAttribute("nope")).hasMessageContaining("no attribute 'nope'");
      assertThatThrownBy(() -> m.requireMethod("prior")).hasMessageContaining("no 'prior' method");
    }
  }

  @Test
  void encodeComputesTheModelsFunctionAndPadsToWholeFrames() throws IOException {
    Path file = dir.resolve("m.ts");
    float[] w = NnTildeFixture.write(file, Style.MODERN, 44100, 2, LATENT, RATIO);
    float[][] x = noise(2, 1000, 1);
    try (TorchScriptModel m = TorchScriptModel.open(file)) {
      float[][] z = m.run("encode", x);
      assertThat(z.length).isEqualTo(LATENT);
      assertThat(z[0].length).isEqualTo(16); // ceil(1000 / 64)
      for (int l = 0; l < LATENT; l++) {
        for (int f = 0; f < 16; f++) {
          double expected = 0;
          for (int c = 0; c < 2; c++) {
            for (int k = 0; k < RATIO; k++) {
              int t = f * RATIO + k;
              expected += t < 1000 ? w[(l * 2 + c) * RATIO + k] * x[c][t] : 0;
            }
          }
          assertThat((double) z[l][f]).isCloseTo(expected, within(1e-4));
        }
      }
      float[][] y = m.run("decode", z);
      assertThat(y.length).isEqualTo(2);
      assertThat(y[0].length).isEqualTo(16 * RATIO);
    }
  }

  @Test
  void blocksCarryTheModulesStateLikeOneLongCall() throws IOException {
    Path file = dir.resolve("m.ts");
    NnTildeFixture.write(file, Style.MODERN, 44100, 1, LATENT, RATIO);
    float[][] x = noise(1, 8 * RATIO, 2);
    float[][] whole;
    try (TorchScriptModel m = TorchScriptModel.open(file)) {
      whole = m.run("forward", x);
    }
    try (TorchScriptModel m = TorchScriptModel.open(file)) {
      float[] streamed = new float[x[0].length];
      for (int b = 0; b < 4; b++) {
        float[][] block = {java.util.Arrays.copyOfRange(x[0], b * 2 * RATIO, (b + 1) * 2 * RATIO)};
        float[][] y = m.process("forward", block);
        System.arraycopy(y[0], 0, streamed, b * 2 * RATIO, y[0].length);
      }
      assertThat(streamed).containsExactly(whole[0], within(1e-5f));
      // The delay line really holds state: the first output sample is the (zero) cache.
      assertThat(whole[0][0]).isZero();
      assertThatThrownBy(() -> m.process("encode", new float[][] {new float[RATIO + 1]}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 64");
      assertThatThrownBy(() -> m.run("forward", new float[2][RATIO]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 channel(s), got 2");
    }
  }

  @Test
  void olderExportsAreReadFromTheirBuffers() throws IOException {
    Path file = dir.resolve("v1.ts");
    NnTildeFixture.write(file, Style.BUFFERS_ONLY, 48000, 1, LATENT, RATIO);
    try (TorchScriptModel m = TorchScriptModel.open(file)) {
      assertThat(m.methods().keySet()).containsExactlyInAnyOrder("encode", "decode", "forward");
      assertThat(m.sampleRate()).isEqualTo(48000);
      assertThat(m.attributes()).isEmpty();
      assertThat(m.run("forward", noise(1, 3 * RATIO, 3))[0]).hasSize(3 * RATIO);
    }
  }

  @Test
  void aModuleWithoutMethodParamsIsRejected() throws IOException {
    Path file = dir.resolve("none.ts");
    NnTildeFixture.write(file, Style.NO_PARAMS, 44100, 1, LATENT, RATIO);
    assertThatThrownBy(() -> TorchScriptModel.open(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("no usable nn~ method");
  }
}
