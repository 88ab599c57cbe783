package org.jrave.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jrave.audio.WavFile;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bfloat16 weights on real audio: the demo clip through a causal v2 model streamed with float32
 * and with bfloat16 weights (deterministic latent, silent noise) differ by less than 2e-2 of the
 * float32 output's peak, and do differ (the bfloat16 weights are really used).
 */
class BlockEnginePrecisionTest {
  private static final int SIGNAL = 65536;
  private static final int BLOCK = 2048;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v2n-c8-causal", "v2n-c8"})
  void bfloat16StaysCloseToFloat32OnTheDemoClip(String variant, @TempDir Path dir) throws Exception {
    Engine.initialize(2);
    Path wav = dir.resolve("tabla.wav");
    try (InputStream in = BlockEnginePrecisionTest.class.getResourceAsStream("/org/jrave/demo/tabla.wav")) {
      Files.copy(in, wav);
    }
    float[] clip = java.util.Arrays.copyOf(WavFile.read(wav).channel(0), SIGNAL);
    Engine.manualSeed(41);
    try (RaveModel model = org.jrave.golden.GoldenModels.load(variant);
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.fromFloats(clip, 1, 1, SIGNAL);
      float[] exact = stream(model, x, Precision.FP32);
      float[] bf16 = stream(model, x, Precision.BF16);

      double peak = 0;
      double squares = 0;
      double worst = 0;
      double errorSquares = 0;
      for (int i = 0; i < SIGNAL; i++) {
        double e = exact[i] - bf16[i];
        peak = Math.max(peak, Math.abs(exact[i]));
        squares += (double) exact[i] * exact[i];
        worst = Math.max(worst, Math.abs(e));
        errorSquares += e * e;
      }
      double rms = Math.sqrt(squares / SIGNAL);
      double errorRms = Math.sqrt(errorSquares / SIGNAL);
      System.out.printf("bfloat16 vs float32 (golden %s model, capacity 8, tabla, blocks of %d): max error %.3e of the peak"
          + " (peak %.3e), RMS error %.3e of the RMS (RMS %.3e)%n", variant, BLOCK, worst / peak, peak, errorRms / rms, rms);

      assertThat(peak).as("float32 output is not silent").isGreaterThan(0);
      assertThat(worst / peak).as("max error relative to the peak").isLessThan(2e-2).isGreaterThan(0);
    }
  }

  private static float[] stream(RaveModel model, Tensor x, Precision precision) {
    try (StreamingModel stream = new StreamingModel(model, StreamingModel.Method.FORWARD, false, precision)) {
      List<Tensor> out = new ArrayList<>();
      for (int start = 0; start < SIGNAL; start += BLOCK) {
        out.add(stream.forward(x.narrow(2, start, BLOCK), true, UnaryOperator.identity(), NoiseSource.SILENT));
      }
      return Tensor.cat(out, 2).toFloatArray();
    }
  }
}
