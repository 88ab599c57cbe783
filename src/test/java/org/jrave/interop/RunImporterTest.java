package org.jrave.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.cli.CliRunner;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.golden.Golden;
import org.jrave.interop.ckpt.LightningCheckpoint;
import org.jrave.interop.ckpt.ReferenceCheckpointWriter;
import org.jrave.interop.ckpt.ReferenceCheckpointWriter.Param;
import org.jrave.interop.ckpt.ReferenceCheckpointWriter.PyObject;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelFile;
import org.jrave.model.noise.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reference run folder (config.gin + Lightning .ckpt written in the reference's layout) imports to the golden model. */
class RunImporterTest {
  @TempDir Path dir;

  /** A run folder holding the golden weights as a Lightning checkpoint, plus training-only entries. */
  Path goldenRun(boolean withChannelLine, Map<String, Tensor> ema) throws IOException {
    Path run = Files.createDirectories(dir.resolve("run"));
    String gin = Files.readString(Golden.requireRoot().resolve("v2n-c8/config.gin"));
    if (!withChannelLine) {
      gin = gin.replace("model.RAVE.n_channels = 1\n", "");
      assertThat(gin).doesNotContain("n_channels");
    }
    Files.writeString(run.resolve("config.gin"), gin);
    LinkedHashMap<String, Object> state = new LinkedHashMap<>(Golden.load("weights.safetensors"));
    state.put("receptive_field", Tensor.fromLongs(new long[] {100, 200}, 2));
    state.put("discriminator.discriminators.0.layers.0.net.0.weight_v", Tensor.zeros(3, 1, 5, 1));
    state.put("audio_distance.multiscale_stft.stfts.0.window", Tensor.ones(2048));
    state.put("decoder.net.0.cache.pad", Tensor.zeros(64, 128, 2)); // a streaming cache
    Map<String, Object> callbacks = new LinkedHashMap<>();
    callbacks.put("WarmupCallback", Map.of("training_steps", 5000));
    callbacks.put("ModelCheckpoint{'monitor': 'validation', 'mode': 'min'}",
        Map.of("best_model_path", "/runs/x/best.ckpt", "dirpath", new PyObject("pathlib", "PosixPath", List.of("/runs/x"))));
    if (ema != null) {
      LinkedHashMap<String, Object> emaState = new LinkedHashMap<>();
      ema.forEach((k, v) -> emaState.put(k, new Param(v)));
      callbacks.put("EMA", emaState);
    }
    Map<String, Object> root = new HashMap<>();
    root.put("epoch", 12);
    root.put("global_step", 123456L);
    root.put("pytorch-lightning_version", "1.9.0");
    root.put("state_dict", state);
    root.put("loops", Map.of("fit_loop", Map.of("epoch_progress", Map.of("current", 3))));
    root.put("callbacks", callbacks);
    root.put("optimizer_states", List.of(Map.of("state", Map.of(0, Map.of("step", Tensor.fromFloats(new float[] {3f}),
        "exp_avg", Tensor.zeros(4))), "param_groups", List.of(Map.of("lr", 1e-4, "betas", List.of(0.5, 0.9))))));
    root.put("lr_schedulers", List.of(Map.of("_last_lr", List.of(1e-4))));
    Path versions = Files.createDirectories(run.resolve("version_0/checkpoints"));
    ReferenceCheckpointWriter.write(versions.resolve("epoch=12-step=123456.ckpt"), "epoch=12-step=123456", root);
    return run;
  }

  @Test
  void theCheckpointReaderSeesTheWholeContainer() throws IOException {
    Path run = goldenRun(true, null);
    Path ckpt = run.resolve("version_0/checkpoints/epoch=12-step=123456.ckpt");
    try (TensorScope s = new TensorScope()) {
      LightningCheckpoint c = LightningCheckpoint.read(ckpt);
      assertThat(c.globalStep()).isEqualTo(123456L);
      assertThat(c.root().get("pytorch-lightning_version")).isEqualTo("1.9.0");
      Map<String, Tensor> sd = c.stateDict();
      Map<String, Tensor> golden = Golden.load("weights.safetensors");
      assertThat(sd).hasSize(golden.size() + 4);
      for (String k : golden.keySet()) {
        assertThat(sd.get(k).shape()).as(k).containsExactly(golden.get(k).shape());
        assertThat(sd.get(k).toFloatArray()).as(k).containsExactly(golden.get(k).toFloatArray());
      }
      assertThat(sd.get("receptive_field").toLongArray()).containsExactly(100, 200);
    }
  }

  @Test
  void importsTheGoldenRunAndInfersTheChannelCount() throws Exception {
    Path run = goldenRun(false, null);
    try (TensorScope s = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      RunImporter.Imported imported = RunImporter.importRun(run, false);
      try (RaveModel model = imported.model()) {
        assertThat(model.config().channels()).isEqualTo(1);
        assertThat(imported.globalStep()).isEqualTo(123456L);
        Map<String, Tensor> g = Golden.load("v2n-c8/offline.safetensors");
        Golden.assertClose("enc_raw", model.encodeRaw(g.get("x")), g.get("enc_raw"), 1e-4, 1e-3);
        Tensor y = model.decode(g.get("z_mean"), NoiseSource.SILENT);
        Golden.assertClose("dec_out_nonoise", y, g.get("dec_out_nonoise"), 1e-4, 1e-3);
      }
    }
  }

  @Test
  void theImportCommandWritesAModelFileEqualToTheGoldenWeights() throws Exception {
    Map<String, Tensor> golden = Golden.load("weights.safetensors");
    Map<String, Tensor> ema = Map.of("latent_mean", Tensor.full(0.5, 128));
    Path run = goldenRun(false, ema);
    Path out = dir.resolve("imported.jrave");
    CliRunner r = CliRunner.run("import", run.toString(), "--out", out.toString(), "--ema");
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (TensorScope s = new TensorScope(); RaveModel m = ModelFile.load(out)) {
      var entries = m.stateEntries();
      assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(golden.keySet());
      for (String k : List.of("encoder.encoder.net.0.weight_v", "decoder.net.2.weight_g", "pqmf.h")) {
        assertThat(entries.get(k).value().toFloatArray()).as(k).containsExactly(golden.get(k).toFloatArray());
      }
      assertThat(entries.get("latent_mean").value().toFloatArray()).containsOnly(0.5f);
    }
  }

  @Test
  void importsAStereoV1RunWithBatchNormStatistics() throws Exception {
    Path run = Files.createDirectories(dir.resolve("v1run"));
    // A v1 run (v1.gin bindings) made small, trained in stereo: config.gin has no channel count.
    String gin = Files.readString(Path.of(RunImporterTest.class.getResource("/org/jrave/model/config/gin/v1.gin").toURI()))
        .replace("CAPACITY = 64\n", "CAPACITY = 8\n").replace("LATENT_SIZE = 128\n", "LATENT_SIZE = 16\n");
    assertThat(gin).contains("CAPACITY = 8\n", "LATENT_SIZE = 16\n").doesNotContain("n_channels");
    Files.writeString(run.resolve("config.gin"), gin);
    LinkedHashMap<String, Object> state = new LinkedHashMap<>();
    Map<String, Tensor> expected = new LinkedHashMap<>();
    try (TensorScope s = new TensorScope();
        RaveModel source = org.jrave.model.RaveFactory.build(org.jrave.model.config.Presets.builder(List.of("v1"))
            .capacity(8).latentSize(16).channels(2).build())) {
      java.util.Random r = new java.util.Random(3);
      source.stateEntries().forEach((k, p) -> {
        Tensor t = p.value();
        Tensor v = t.isFloat() ? Tensor.fromFloats(randomFloats(r, (int) t.numel()), t.shape())
            : Tensor.fromLongs(new long[(int) t.numel()], t.shape()).add(7).toLong();
        state.put(k, v);
        expected.put(k, v);
      });
      Map<String, Object> root = new HashMap<>();
      root.put("state_dict", state);
      root.put("global_step", 10L);
      ReferenceCheckpointWriter.write(run.resolve("last.ckpt"), "last", root);
      RunImporter.Imported imported = RunImporter.importRun(run, false);
      try (RaveModel model = imported.model()) {
        assertThat(model.config().channels()).isEqualTo(2);
        var entries = model.stateEntries();
        assertThat(entries.keySet()).containsExactlyElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
          assertThat(entries.get(e.getKey()).value().toFloatArray()).as(e.getKey())
              .containsExactly(e.getValue().toFloatArray());
        }
      }
    }
  }

  private static float[] randomFloats(java.util.Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void badRunsGetClearErrors() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> RunImporter.importRun(empty, false)).hasMessageContaining("no .ckpt");
    Path noGin = Files.createDirectories(dir.resolve("nogin"));
    Path notZip = Files.writeString(noGin.resolve("a.ckpt"), "garbage");
    Files.writeString(dir.resolve("nogin/../config.gin.txt"), "");
    assertThatThrownBy(() -> LightningCheckpoint.read(notZip)).isInstanceOf(IOException.class).hasMessageContaining("not a checkpoint");
    Path zipNoPickle = noGin.resolve("b.ckpt");
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zipNoPickle))) {
      z.putNextEntry(new java.util.zip.ZipEntry("b/other.txt"));
      z.write(1);
    }
    assertThatThrownBy(() -> LightningCheckpoint.read(zipNoPickle)).hasMessageContaining("no <name>/data.pkl");
    Path truncated = noGin.resolve("c.ckpt");
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(truncated))) {
      z.putNextEntry(new java.util.zip.ZipEntry("c/data.pkl"));
      z.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '(', 'X', 5, 0});
    }
    assertThatThrownBy(() -> LightningCheckpoint.read(truncated)).hasMessageContaining("corrupt checkpoint pickle");
    Path run = goldenRun(true, null);
    Files.delete(run.resolve("config.gin"));
    assertThatThrownBy(() -> RunImporter.importRun(run, false)).hasMessageContaining("no config.gin");
    CliRunner r = CliRunner.run("import", empty.toString(), "--out", dir.resolve("x.jrave").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("no .ckpt").doesNotContain("Exception");
    // The import hint only for what is really a Lightning (zip) checkpoint.
    r = CliRunner.run("forward", "--model", notZip.toString(), "-i", "a.wav", "-o", "b.wav");
    assertThat(r.err()).contains("neither a jrave training checkpoint nor a Lightning checkpoint")
        .doesNotContain("jrave import");
    r = CliRunner.run("forward", "--model", zipNoPickle.toString(), "-i", "a.wav", "-o", "b.wav");
    assertThat(r.err()).contains("Lightning checkpoint").contains("jrave import");
  }
}
