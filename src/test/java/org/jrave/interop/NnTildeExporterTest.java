package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.ScriptModule;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The exported module, loaded back through libtorch, computes what the native model computes. */
class NnTildeExporterTest {
  @TempDir Path dir;

  static final int Z = 16;

  /** A small model with a non-trivial PCA (signed permutation), mean and fidelity curve. */
  static RaveModel model(String presets) {
    RaveModel m = RaveFactory.build(Presets.builder(List.of(presets.split("\\+"))).capacity(4).latentSize(Z).build());
    float[] pca = new float[Z * Z];
    float[] mean = new float[Z];
    float[] fidelity = new float[Z];
    for (int i = 0; i < Z; i++) {
      pca[i * Z + (i * 5 + 3) % Z] = i % 3 == 0 ? -1f : 1f;
      mean[i] = 0.1f * (i - 7);
      fidelity[i] = i >= 5 ? 0.99f : 0.5f; // first component above 0.95: index 5 -> 8 dimensions
    }
    m.namedBuffers().get("latent_pca").assign(Tensor.fromFloats(pca, Z, Z));
    m.namedBuffers().get("latent_mean").assign(Tensor.fromFloats(mean, Z));
    m.namedBuffers().get("fidelity").assign(Tensor.fromFloats(fidelity, Z));
    m.decoder().setWarmedUp(true); // v1: the noise branch only sounds in phase 2
    return m;
  }

  static Tensor noise(long seed, long... shape) {
    Random r = new Random(seed);
    int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * r.nextGaussian());
    }
    return Tensor.fromFloats(x, shape);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v2+noise", "v2+causal+snake", "v1"})
  void exportedMethodsMatchTheNativeModel(String presets) throws Exception {
    Path file = dir.resolve("m.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter(); RaveModel native_ = model(presets)) {
      NnTildeExporter.Summary summary = NnTildeExporter.export(native_, file, NnTildeExporter.Options.defaults());
      assertThat(summary.latentSize()).isEqualTo(8);
      int ratio = native_.ratio();
      try (TorchScriptModel ts = TorchScriptModel.open(file)) {
        assertThat(ts.sampleRate()).isEqualTo(44100);
        assertThat(ts.requireMethod("encode")).isEqualTo(new TorchScriptModel.MethodSpec("encode", 1, 1, 8, ratio));
        assertThat(ts.requireMethod("decode")).isEqualTo(new TorchScriptModel.MethodSpec("decode", 8, ratio, 1, 1));
        assertThat(ts.attributes().keySet()).containsExactly("learn_target", "reset_target", "learn_source", "reset_source");
        assertThat(ts.scalar("full_latent_size")).contains((long) Z);

        Tensor x = noise(1, 1, 1, 4L * ratio);
        Engine.manualSeed(11);
        Tensor zTs = ts.run("encode", x);
        Engine.manualSeed(11);
        Tensor zNative = native_.projectLatent(native_.encoder().reparametrize(native_.encodeRaw(x)).z()).narrow(1, 0, 8);
        assertClose(zTs, zNative);

        Tensor z = noise(2, 1, 8, 4);
        Engine.manualSeed(12);
        Tensor yTs = ts.run("decode", z);
        Engine.manualSeed(12);
        Tensor padded = Tensor.cat(List.of(z, Tensor.randn(org.jrave.engine.Device.CPU, 1, Z - 8, 4)), 1);
        Tensor yNative = native_.decode(native_.unprojectLatent(padded), NoiseSource.RANDOM);
        assertThat(yTs.shape()).containsExactly(1, 1, 4L * ratio);
        assertClose(yTs, yNative);

        Engine.manualSeed(13);
        Tensor fTs = ts.run("forward", x);
        Engine.manualSeed(13);
        Tensor zf = native_.projectLatent(native_.encoder().reparametrize(native_.encodeRaw(x)).z()).narrow(1, 0, 8);
        Tensor pf = Tensor.cat(List.of(zf, Tensor.randn(org.jrave.engine.Device.CPU, 1, Z - 8, 4)), 1);
        assertClose(fTs, native_.decode(native_.unprojectLatent(pf), NoiseSource.RANDOM));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v2+wasserstein", "v2+spherical"})
  void otherLatentsExposeTheirOwnLatent(String presets) throws Exception {
    Path file = dir.resolve("l.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        RaveModel m = RaveFactory.build(Presets.builder(List.of(presets.split("\\+"))).capacity(4).build())) {
      NnTildeExporter.Summary summary = NnTildeExporter.export(m, file, NnTildeExporter.Options.defaults());
      boolean spherical = presets.contains("spherical");
      int z = m.config().latentSize();
      assertThat(summary.latentSize()).isEqualTo(spherical ? z - 1 : z);
      int ratio = m.ratio();
      try (TorchScriptModel ts = TorchScriptModel.open(file)) {
        Tensor x = noise(4, 1, 1, 2L * ratio);
        Tensor raw = m.encodeRaw(x);
        Tensor expected = spherical ? org.jrave.model.latent.SphericalEncoder.toAngles(raw) : raw;
        Tensor latent = ts.run("encode", x);
        assertClose(latent, expected);

        Engine.manualSeed(21);
        Tensor y = ts.run("decode", latent);
        Engine.manualSeed(21);
        Tensor decoderInput = spherical ? org.jrave.model.latent.SphericalEncoder.fromAngles(latent)
            : Tensor.cat(List.of(latent, Tensor.randn(org.jrave.engine.Device.CPU, 1,
                m.config().latent().noiseAugmentation(), latent.size(2))), 1);
        assertClose(y, m.decode(decoderInput, NoiseSource.RANDOM));
      }
    }
  }

  @Test
  void weightsCarryTheReferenceNamesWithFusedWeightNorm() throws Exception {
    Path file = dir.resolve("m.ts");
    try (TensorScope s = new TensorScope(); RaveModel m = model("v2")) {
      NnTildeExporter.export(m, file, NnTildeExporter.Options.defaults());
      try (ScriptModule ts = ScriptModule.load(file)) {
        assertThat(ts.namedParameters()).containsKey("encoder.encoder.net.0.weight")
            .containsKey("decoder.net.2.weight").doesNotContainKey("encoder.encoder.net.0.weight_g");
        assertThat(ts.namedBuffers()).containsKeys("latent_pca", "latent_mean", "fidelity", "pqmf.hk",
            "encode_params", "decode_params", "forward_params", "learn_target_params");
        assertThat(ts.attribute("input_mode")).isEqualTo("pqmf");
        assertThat(ts.invoke("set_learn_source", true)).isEqualTo(0L);
        assertThat(ts.invoke("get_learn_source")).isEqualTo(true);
        assertThat(ts.invoke("get_methods")).isEqualTo(List.of("encode", "decode", "forward"));
        // Stereo mode (RAVE VST): two mono latent streams in the batch become one stereo output.
        ts.invoke("set_stereo_mode", Tensor.fromLongs(new long[] {1}, 1));
        assertThat(ts.attribute("stereo_mode")).isEqualTo(true);
        Tensor stereo = (Tensor) ts.invoke("decode", Tensor.zeros(2, 8, 3));
        assertThat(stereo.shape()).containsExactly(1, 2, 3L * m.ratio());
      }
    }
  }

  @Test
  void discreteModelsExposeCodeIndices() throws Exception {
    Path file = dir.resolve("d.ts");
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter();
        RaveModel m = RaveFactory.build(Presets.builder(List.of("discrete")).capacity(4).latentSize(8).build())) {
      // Trained-looking codebooks (an untrained model's are all zero).
      m.namedBuffers().forEach((name, p) -> {
        if (name.endsWith("._codebook.embed")) {
          p.assign(noise(name.hashCode(), p.shape()).mul(3));
        }
      });
      var rvq = ((org.jrave.model.latent.DiscreteEncoder) m.encoder());
      int quantizers = rvq.rvq().numQuantizers();
      assertThat(NnTildeExporter.export(m, file, NnTildeExporter.Options.defaults()).latentSize()).isEqualTo(quantizers);
      int ratio = m.ratio();
      try (TorchScriptModel ts = TorchScriptModel.open(file)) {
        Tensor x = noise(5, 1, 1, 2L * ratio);
        Tensor indices = ts.run("encode", x);
        Tensor expected = rvq.encodeIndices(m.encodeRaw(x));
        assertThat(indices.toLongArray()).containsExactly(expected.toLongArray());
        assertThat(java.util.Arrays.stream(expected.toLongArray()).distinct().count()).isGreaterThan(1);
        Engine.manualSeed(8);
        Tensor y = ts.run("decode", indices);
        Engine.manualSeed(8);
        assertClose(y, m.decode(rvq.decodeIndices(expected), NoiseSource.RANDOM));
      }
    }
  }

  @Test
  void unsupportedModelsAreRefusedWithAReason() {
    // ONNX: layers the real-time engine has no kernel for (AdaIN), and latents other than a VAE's.
    try (TensorScope s = new TensorScope();
        RaveModel m = RaveFactory.build(Presets.builder(List.of("v2", "adain")).capacity(4).build())) {
      assertThatThrownBy(() -> org.jrave.interop.onnx.OnnxExporter.export(m,
          org.jrave.interop.onnx.OnnxExporter.Method.FORWARD, 1, dir.resolve("adain.onnx")))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("AdaIN");
    }
    try (TensorScope s = new TensorScope();
        RaveModel m = RaveFactory.build(Presets.builder(List.of("discrete")).capacity(4).build())) {
      assertThatThrownBy(() -> org.jrave.interop.onnx.OnnxExporter.export(m,
          org.jrave.interop.onnx.OnnxExporter.Method.FORWARD, 1, dir.resolve("discrete.onnx")))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("variational");
    }
  }

  @Test
  void exportedLatentSizeFollowsTheReferenceRule() {
    float[] f = new float[128];
    assertThat(ExportedLatentSize.of(f, 0.95)).isEqualTo(1); // untrained: all zeros
    for (int i = 0; i < 128; i++) {
      f[i] = i >= 40 ? 0.96f : 0.9f;
    }
    assertThat(ExportedLatentSize.of(f, 0.95)).isEqualTo(64);
    assertThat(ExportedLatentSize.of(f, 0.5)).isEqualTo(1);
    f[32] = 0.97f;
    assertThat(ExportedLatentSize.of(f, 0.95)).isEqualTo(32);
    assertThatThrownBy(() -> ExportedLatentSize.of(f, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }

  static void assertClose(Tensor actual, Tensor expected) {
    assertThat(actual.shape()).containsExactly(expected.shape());
    float[] a = actual.toFloatArray();
    float[] e = expected.toFloatArray();
    double maxDiff = 0;
    double maxAbs = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - e[i]));
      maxAbs = Math.max(maxAbs, Math.abs(e[i]));
    }
    assertThat(maxAbs).as("reference signal is not silent").isGreaterThan(1e-6);
    assertThat(maxDiff).as("max abs difference (max |expected| = %s)", maxAbs).isLessThan(1e-4 + 1e-4 * maxAbs);
  }
}
