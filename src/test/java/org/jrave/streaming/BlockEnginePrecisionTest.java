package org.jrave.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.TestAudio;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.train.loss.AudioDistance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bfloat16 weights in the block engine on real audio: a clip through the golden v2 models (random
 * weights rescaled so that every layer carries signal), streamed in 2048-sample blocks with float32
 * and with bfloat16 weights (posterior mean, silent noise). The two stay within a few percent of the
 * signal's peak and RMS and a small multi-scale spectral distance, and do differ (the bfloat16
 * weights are really used). Figures measured: docs/engine.md, "Precision".
 */
class BlockEnginePrecisionTest {
  private static final int BLOCK = 2048;

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({"v2n-c8-causal, tabla_loop.flac", "v2n-c8, tabla_loop.flac", "v2n-c8-causal, piano_c4.ogg",
      "v2n-c8, piano_c4.ogg"})
  void bfloat16StaysCloseToFloat32OnRealAudio(String variant, String clip) throws Exception {
    Engine.initialize(2);
    float[] audio = new AudioDecoder().decode(TestAudio.fixture(clip), AudioTarget.of(44100, 1)).samples()[0];
    int samples = audio.length / BLOCK * BLOCK;
    try (RaveModel model = org.jrave.golden.GoldenModels.load(variant);
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter();
        AudioDistance distance = AudioDistance.reference(1e-7)) {
      Tensor x = Tensor.fromFloats(Arrays.copyOf(audio, samples), 1, 1, samples);
      float[] exact = stream(model, x, Precision.FP32);
      float[] bf16 = stream(model, x, Precision.BF16);

      double peak = 0;
      double squares = 0;
      double worst = 0;
      double errorSquares = 0;
      for (int i = 0; i < samples; i++) {
        double e = exact[i] - bf16[i];
        peak = Math.max(peak, Math.abs(exact[i]));
        squares += (double) exact[i] * exact[i];
        worst = Math.max(worst, Math.abs(e));
        errorSquares += e * e;
      }
      double relativeRms = Math.sqrt(errorSquares / squares);
      double spectral = distance.distance(Tensor.fromFloats(exact, 1, samples), Tensor.fromFloats(bf16, 1, samples))
          .item();
      System.out.printf("block engine bf16 vs fp32 (golden %s, %s, blocks of %d): max error %.2f%% of the peak,"
          + " RMS error %.2f%% of the RMS, spectral distance %.4f%n", variant, clip, BLOCK, 100 * worst / peak,
          100 * relativeRms, spectral);

      assertThat(peak).as("float32 output is not silent").isGreaterThan(0);
      // Measured: 1.0-2.2% of the peak, 0.6-1.0% of the RMS, spectral distance 0.038-0.048 (docs/engine.md).
      assertThat(worst / peak).as("max error relative to the peak").isLessThan(4e-2).isGreaterThan(0);
      assertThat(relativeRms).as("RMS error relative to the RMS").isLessThan(2e-2);
      assertThat(spectral).as("multi-scale spectral distance").isLessThan(0.1);
    }
  }

  private static float[] stream(RaveModel model, Tensor x, Precision precision) {
    int samples = (int) x.size(2);
    try (StreamingModel stream = new StreamingModel(model, StreamingModel.Method.FORWARD, false, precision)) {
      List<Tensor> out = new ArrayList<>();
      for (int start = 0; start < samples; start += BLOCK) {
        out.add(stream.forward(x.narrow(2, start, BLOCK), true, UnaryOperator.identity(), NoiseSource.SILENT));
      }
      return Tensor.cat(out, 2).toFloatArray();
    }
  }
}
