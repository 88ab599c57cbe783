package org.jrave.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jrave.audio.WavFile;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jrave's streaming contract, stricter than the reference's: for every preset, causal or not, and
 * any block size that is a multiple of the model's ratio, the streamed forward pass equals the
 * offline forward pass delayed by the latency the stream reports (deterministic latent, silent
 * noise), on real audio.
 */
class StreamingEqualsOfflineTest {
  private static final int SIGNAL = 65536;
  private static float[] clip;

  @BeforeAll
  static void loadClip(@TempDir Path dir) throws Exception {
    Engine.initialize(2);
    Path wav = dir.resolve("tabla.wav");
    try (InputStream in = StreamingEqualsOfflineTest.class.getResourceAsStream("/org/jrave/demo/tabla.wav")) {
      Files.copy(in, wav);
    }
    clip = java.util.Arrays.copyOf(WavFile.read(wav).channel(0), SIGNAL);
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String preset : new String[] {"v2", "v2 causal", "v2 noise", "v2_small", "v1", "v1 causal", "v3",
        "discrete", "v2 wasserstein", "v2 spherical"}) {
      for (int block : new int[] {2048, 4096, 8192}) {
        out.add(Arguments.of(preset, block));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} in blocks of {1}")
  @MethodSource("cases")
  void streamEqualsDelayedOffline(String preset, int block) {
    Engine.manualSeed(7);
    try (RaveModel model = RaveFactory.build(Presets.builder(List.of(preset.split(" "))).capacity(4).build());
        TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      int total = 2 * SIGNAL;
      float[] padded = java.util.Arrays.copyOf(clip, total);
      Tensor x = Tensor.fromFloats(padded, 1, 1, total);
      // Discrete models seed their codebooks (k-means) on the first quantising pass.
      model.encoder().reparametrize(model.encodeRaw(x));
      Tensor offline = model.forwardDeterministic(x);

      Tensor streamed;
      int latency;
      try (StreamingModel stream = new StreamingModel(model, StreamingModel.Method.FORWARD)) {
        latency = stream.latency();
        List<Tensor> out = new ArrayList<>();
        for (int start = 0; start < total; start += block) {
          out.add(stream.forward(x.narrow(2, start, block), true, UnaryOperator.identity(), NoiseSource.SILENT));
        }
        streamed = Tensor.cat(out, 2);
      }
      assertThat(latency).isBetween(0, SIGNAL);
      float[] expected = offline.narrow(2, 0, SIGNAL).toFloatArray();
      float[] actual = streamed.narrow(2, latency, SIGNAL).toFloatArray();
      double peak = 0;
      double worst = 0;
      for (int i = 0; i < SIGNAL; i++) {
        peak = Math.max(peak, Math.abs(expected[i]));
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertThat(peak).as("offline output is not silent").isGreaterThan(0);
      assertThat(worst / peak).as("max error relative to the peak, latency %d", latency).isLessThanOrEqualTo(1e-4);
    }
  }
}
