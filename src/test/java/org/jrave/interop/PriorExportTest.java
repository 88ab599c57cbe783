package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.prior.GaussianQuantizer;
import org.jrave.prior.PriorConfig;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorNetwork;
import org.jrave.prior.PriorSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The prior bundled in an nn~ export: its interface, its agreement with jrave's sampler, its continuity. */
class PriorExportTest {
  @TempDir Path dir;

  static final int L = 4;
  static final int R = 32;

  static PriorNetwork network() {
    Engine.manualSeed(3);
    return new PriorNetwork(new PriorConfig(L, R, 32, 16, 3, 4, 4));
  }

  static Tensor temperature(double value, int batch, int frames) {
    float[] t = new float[batch * frames];
    java.util.Arrays.fill(t, (float) value);
    return Tensor.fromFloats(t, batch, 1, frames);
  }

  /** Classes of a {@code [1, L, F]} latent (the dithered values fall inside their class's bin). */
  static int[][] classes(Tensor z) {
    int frames = (int) z.size(2);
    float[] v = z.contiguous().toFloatArray();
    GaussianQuantizer q = new GaussianQuantizer(R);
    int[][] out = new int[L][frames];
    for (int d = 0; d < L; d++) {
      for (int t = 0; t < frames; t++) {
        out[d][t] = q.classOf(v[d * frames + t]);
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void exportedPriorHasTheNnTildeInterfaceAndMatchesTheNativeSamplerAtTemperatureZero(boolean streaming)
      throws Exception {
    Path file = dir.resolve("p.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        RaveModel model = NnTildeExporterTest.model("v2+causal+snake"); PriorNetwork net = network()) {
      PriorFile.Loaded prior = new PriorFile.Loaded(net, PriorFile.ModelFacts.of(model));
      NnTildeExporter.Summary summary = NnTildeExporter.export(model, file,
          new NnTildeExporter.Options(0.95, streaming, prior));
      int ratio = model.ratio();
      assertThat(summary.latentSize()).isEqualTo(L); // the prior's size, not the fidelity's 8
      assertThat(summary.methods()).containsExactly("encode", "decode", "forward", "prior");
      int frames = 24;
      float[][] expected = new PriorSampler(net).sample(frames, 0, new Random(1));
      try (TorchScriptModel ts = TorchScriptModel.open(file)) {
        assertThat(ts.requireMethod("prior")).isEqualTo(new TorchScriptModel.MethodSpec("prior", 1, ratio, L, ratio));
        assertThat(ts.requireMethod("decode").inChannels()).isEqualTo(L);
        assertThat(ts.scalar("_has_prior")).contains(true);
        // softplus(-200) is 0 in float32: temperature 0, the most likely class every frame.
        Engine.manualSeed(5);
        Tensor z = ts.run("prior", temperature(-200, 1, frames));
        assertThat(z.shape()).containsExactly(1, L, frames);
        int[][] got = classes(z);
        GaussianQuantizer q = new GaussianQuantizer(R);
        for (int d = 0; d < L; d++) {
          for (int t = 0; t < frames; t++) {
            assertThat(got[d][t]).as("dim %d frame %d", d, t).isEqualTo(q.classOf(expected[d][t]));
          }
        }
        // The sequence is not trivially constant, so the comparison says something.
        assertThat(java.util.Arrays.stream(got).flatMapToInt(java.util.Arrays::stream).distinct().count())
            .isGreaterThan(2);
        // Its latents decode, a batch of four included (nn~ registers methods with batches 1 and 4).
        Tensor four = ts.run("prior", temperature(0, 4, 2));
        assertThat(four.shape()).containsExactly(4, L, 2);
        assertThat(ts.run("decode", four).shape()).containsExactly(4, 1, 2L * ratio);
      }
    }
  }

  @Test
  void successiveCallsContinueTheSequence() throws Exception {
    Path file = dir.resolve("p.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        RaveModel model = NnTildeExporterTest.model("v2"); PriorNetwork net = network()) {
      NnTildeExporter.export(model, file,
          new NnTildeExporter.Options(0.95, false, new PriorFile.Loaded(net, PriorFile.ModelFacts.of(model))));
      try (TorchScriptModel ts = TorchScriptModel.open(file); TorchScriptModel whole = ts.copy();
          TorchScriptModel split = ts.copy(); TorchScriptModel fresh = ts.copy()) {
        Engine.manualSeed(9);
        float[] once = whole.run("prior", temperature(0.5, 2, 12)).contiguous().toFloatArray();
        Engine.manualSeed(9);
        Tensor first = split.run("prior", temperature(0.5, 2, 5));
        Tensor second = split.run("prior", temperature(0.5, 2, 7));
        float[] twice = Tensor.cat(List.of(first, second), 2).contiguous().toFloatArray();
        assertThat(twice).containsExactly(once);
        // With the same draws, a third call continues from its history, unlike a fresh start.
        Engine.manualSeed(10);
        float[] continued = split.run("prior", temperature(0.5, 2, 7)).contiguous().toFloatArray();
        Engine.manualSeed(10);
        float[] started = fresh.run("prior", temperature(0.5, 2, 7)).contiguous().toFloatArray();
        assertThat(continued).isNotEqualTo(started);
      }
    }
  }

  @Test
  void mismatchedPriorsAndNonVaeModelsAreRefused() throws Exception {
    Path file = dir.resolve("p.ts");
    try (TensorScope s = new TensorScope(); RaveModel model = NnTildeExporterTest.model("v2");
        RaveModel wasserstein = RaveFactory.build(Presets.builder(List.of("v2", "wasserstein")).capacity(4).build());
        PriorNetwork net = network()) {
      PriorFile.ModelFacts facts = PriorFile.ModelFacts.of(model);
      PriorFile.ModelFacts other = new PriorFile.ModelFacts(facts.sampleRate(), facts.channels(), facts.ratio(),
          facts.latentSize() * 2);
      assertThatThrownBy(() -> NnTildeExporter.export(model, file,
          new NnTildeExporter.Options(0.95, false, new PriorFile.Loaded(net, other))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latent size " + facts.latentSize() * 2);
      assertThatThrownBy(() -> NnTildeExporter.export(wasserstein, file,
          new NnTildeExporter.Options(0.95, false,
              new PriorFile.Loaded(net, PriorFile.ModelFacts.of(wasserstein)))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variational");
      assertThat(file).doesNotExist();
    }
  }
}
