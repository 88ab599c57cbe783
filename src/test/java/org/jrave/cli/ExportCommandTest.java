package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.interop.TorchScriptModel;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.Presets;
import org.jrave.model.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jrave export writes .ts files that jrave itself (and any libtorch host) runs. */
class ExportCommandTest {
  @TempDir static Path dir;
  static Path model;
  static Path wav;

  @BeforeAll
  static void smallStereoModel() throws Exception {
    model = dir.resolve("small.jrave");
    try (RaveModel m = RaveFactory.build(Presets.builder(List.of("v2", "noise")).capacity(4).latentSize(8)
        .channels(2).build())) {
      ModelFile.save(m, model);
    }
    float[][] x = new float[2][3 * 2048];
    for (int i = 0; i < x[0].length; i++) {
      x[0][i] = (float) Math.sin(i * 0.03);
      x[1][i] = (float) Math.cos(i * 0.011);
    }
    wav = dir.resolve("a.wav");
    WavFile.write(wav, new AudioClip(44100, x));
  }

  @Test
  void exportThenRunTheExportOfflineAndStreaming() throws Exception {
    Path ts = dir.resolve("m.ts");
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--out", ts.toString(), "--fidelity", "0.9");
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (TorchScriptModel m = TorchScriptModel.open(ts)) {
      // An untrained model's fidelity is all zeros: the exported latent has one dimension.
      assertThat(m.requireMethod("encode")).isEqualTo(new TorchScriptModel.MethodSpec("encode", 2, 1, 1, 2048));
      assertThat(m.scalar("streaming")).contains(false);
    }
    Path out = dir.resolve("out.wav");
    r = CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(), "-o", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(out).channelCount()).isEqualTo(2);
    assertThat(WavFile.read(out).frameCount()).isEqualTo(3 * 2048);

    Path streaming = dir.resolve("s.ts");
    r = CliRunner.run("export", "--model", model.toString(), "--out", streaming.toString(), "--streaming");
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (TorchScriptModel m = TorchScriptModel.open(streaming)) {
      assertThat(m.scalar("forward_latency")).hasValueSatisfying(v -> assertThat((Long) v).isPositive());
    }
    r = CliRunner.run("forward", "--model", streaming.toString(), "-i", wav.toString(), "-o", out.toString(),
        "--stream", "2048");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(out).frameCount()).isEqualTo(3 * 2048);
  }

  @Test
  void onnxExportWritesAGraphOnnxRuntimeLoads() throws Exception {
    Path onnx = dir.resolve("m.onnx");
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--out", onnx.toString(), "--method", "decode",
        "--block-frames", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (var session = env.createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
      assertThat(session.getInputNames()).contains("z", "noise", "block_index", "state.pqmf.synthesis_history");
      assertThat(session.getOutputNames()).contains("audio_out", "state_out.pqmf.synthesis_history");
    }
    r = CliRunner.run("export", "--model", model.toString(), "--out", onnx.toString(), "--method", "prior");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void badRequestsAreUserErrors() throws Exception {
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--out", dir.resolve("x.ts").toString(),
        "--fidelity", "1.5");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--fidelity must be between 0.1 and 0.999");
    Path v1 = dir.resolve("v1.jrave");
    try (RaveModel m = RaveFactory.build(Presets.builder(List.of("v1")).capacity(4).build())) {
      ModelFile.save(m, v1);
    }
    r = CliRunner.run("export", "--model", v1.toString(), "--out", dir.resolve("v1.onnx").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("cannot export").contains("v2-family").doesNotContain("Exception");
  }
}
