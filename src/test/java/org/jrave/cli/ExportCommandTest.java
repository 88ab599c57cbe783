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
import org.jrave.prior.PriorConfig;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jrave export writes .ts files that jrave itself (and any libtorch host) runs. */
class ExportCommandTest {
  @TempDir static Path dir;
  static Path model;
  static Path wav;
  static Path prior;
  static Path otherPrior;

  @BeforeAll
  static void smallStereoModel() throws Exception {
    model = dir.resolve("small.jrave");
    try (RaveModel m = RaveFactory.build(Presets.builder(List.of("v2", "noise")).capacity(4).latentSize(8)
        .channels(2).build())) {
      ModelFile.save(m, model);
      prior = dir.resolve("prior.safetensors");
      otherPrior = dir.resolve("other-prior.safetensors");
      try (PriorNetwork p = new PriorNetwork(new PriorConfig(2, 32, 16, 8, 3, 4, 2))) {
        PriorFile.ModelFacts facts = PriorFile.ModelFacts.of(m);
        PriorFile.save(p, facts, prior);
        PriorFile.save(p, new PriorFile.ModelFacts(facts.sampleRate(), 1, facts.ratio(), facts.latentSize()), otherPrior);
      }
    }
    float[][] x = new float[2][3 * 2048];
    for (int i = 0; i < x[0].length; i++) {
      x[0][i] = (float) Math.sin(i * 0.03);
      x[1][i] = (float) Math.cos(i * 0.011);
    }
    wav = dir.resolve("a.wav");
    WavFile.write(wav, new AudioClip(44100, x));
  }

  /** What an untrained model (latent 8, 2048 samples per frame at 44.1 kHz) is told about its PCA. */
  static final String UNFITTED_PCA = "warning: latent PCA not fitted (fidelity all zero, so an export keeps 1 of 8 "
      + "latent dimensions): fitting it needs at least 8 latent frames of validation and training audio "
      + "(8 x 2048 / 44100 Hz = 0.37 s)";

  @Test
  void exportThenRunTheExportOfflineAndStreaming() throws Exception {
    Path ts = dir.resolve("m.ts");
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--out", ts.toString(), "--fidelity", "0.9");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains(UNFITTED_PCA);
    try (TorchScriptModel m = TorchScriptModel.open(ts)) {
      // An untrained model's fidelity is all zeros: the exported latent has one dimension.
      assertThat(m.requireMethod("encode")).isEqualTo(new TorchScriptModel.MethodSpec("encode", 2, 1, 1, 2048));
      assertThat(m.scalar("streaming")).contains(false);
    }
    r = CliRunner.run("inspect", "--model", ts.toString());
    assertThat(r.out()).contains("encode   [2 channels, ratio 1] -> [1 channels, ratio 2048]").contains("streaming: false");
    r = CliRunner.run("inspect", "--model", model.toString());
    assertThat(r.out()).contains("jrave model").contains("2 channel(s), latent 8");
    assertThat(r.out().lines().filter(l -> l.contains("PCA"))).containsExactly(UNFITTED_PCA);
    Path out = dir.resolve("out.wav");
    r = CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(), "-o", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(out).channelCount()).isEqualTo(2);
    assertThat(WavFile.read(out).frameCount()).isEqualTo(3 * 2048);

    Path streaming = dir.resolve("s.ts");
    r = CliRunner.run("export", "--model", model.toString(), "--out", streaming.toString(), "--streaming");
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (org.jrave.engine.TensorScope scope = new org.jrave.engine.TensorScope();
        TorchScriptModel m = TorchScriptModel.open(streaming)) {
      assertThat(m.scalar("forward_latency")).hasValueSatisfying(v -> assertThat((Long) v).isPositive());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> m.run("forward", org.jrave.engine.Tensor.zeros(65, 2, 2048)))
          .hasMessageContaining("at most 64 streams");
    }
    r = CliRunner.run("forward", "--model", streaming.toString(), "-i", wav.toString(), "-o", out.toString(),
        "--stream", "2048");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(out).frameCount()).isEqualTo(3 * 2048);
  }

  @Test
  void exportBundlesAPriorThatGeneratesLatentsForDecode() throws Exception {
    Path ts = dir.resolve("prior.ts");
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--prior", prior.toString(), "--out",
        ts.toString(), "--streaming");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("latent 2 of 8").contains("prior");
    try (org.jrave.engine.TensorScope scope = new org.jrave.engine.TensorScope();
        TorchScriptModel m = TorchScriptModel.open(ts)) {
      assertThat(m.requireMethod("prior")).isEqualTo(new TorchScriptModel.MethodSpec("prior", 1, 2048, 2, 2048));
      float[][] z = m.process("prior", new float[1][3]);
      assertThat(z).hasDimensions(2, 3);
      assertThat(m.process("decode", z)).hasDimensions(2, 3 * 2048);
    }
    for (List<String> bad : List.of(List.of("--prior", otherPrior.toString()), List.of("--prior", model.toString()),
        List.of("--prior", dir.resolve("none").toString()), List.of("--prior", prior.toString(), "--fidelity", "0.9"))) {
      List<String> args = new java.util.ArrayList<>(List.of("export", "--model", model.toString(), "--out",
          dir.resolve("bad.ts").toString()));
      args.addAll(bad);
      r = CliRunner.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }
    assertThat(dir.resolve("bad.ts")).doesNotExist();
  }

  @Test
  void onnxExportWritesAGraphOnnxRuntimeLoads() throws Exception {
    Path onnx = dir.resolve("m.onnx");
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--out", onnx.toString(), "--method", "decode",
        "--block-frames", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (var session = env.createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
      assertThat(session.getInputNames()).contains("z", "noise", "block_index");
      // Every cache (a signal's history in the engine's graph) goes in as state.X and out as state_out.X.
      List<String> states = session.getInputNames().stream().filter(n -> n.startsWith("state.")).toList();
      assertThat(states).isNotEmpty();
      assertThat(session.getOutputNames()).contains("audio_out")
          .containsAll(states.stream().map(n -> "state_out." + n.substring("state.".length())).toList());
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
    Path v1 = TestModels.saveSmall(dir.resolve("v1.jrave"), "v1");
    r = CliRunner.run("export", "--model", v1.toString(), "--out", dir.resolve("v1.onnx").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path adain = TestModels.saveSmall(dir.resolve("adain.jrave"), "v2", "adain");
    r = CliRunner.run("export", "--model", adain.toString(), "--out", dir.resolve("adain.onnx").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("cannot export").contains("AdaIN").doesNotContain("Exception");
    assertThat(dir.resolve("adain.onnx")).doesNotExist();
  }
}
