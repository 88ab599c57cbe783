package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrave.audio.AudioClip;
import org.jrave.audio.TestAudio;
import org.jrave.audio.WavFile;
import org.jrave.engine.Engine;
import org.jrave.engine.Safetensors;
import org.jrave.engine.TensorScope;
import org.jrave.play.PlayModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-prior on a real recording's dataset, then sample: the prior learns and generates audio. */
class PriorCommandsTest {
  @TempDir static Path dir;
  static Path model;
  static Path db;
  static Path prior;
  static String trainLog;

  @BeforeAll
  static void train() throws Exception {
    model = PlayModels.saveCausalSmall(dir.resolve("small.jrave"), 4, 1);
    Path tabla = Files.copy(TestAudio.fixture("tabla_loop.flac"), dir.resolve("tabla.flac"));
    db = dir.resolve("db");
    CliRunner p = CliRunner.run("preprocess", "--input", tabla.toString(), "--output", db.toString(), "--num-signal", "8192");
    assertThat(p.exitCode()).as(p.err()).isZero();
    CliRunner r = CliRunner.run("train-prior", "--model", model.toString(), "--threads", "2", "--db", db.toString(),
        "--out", dir.resolve("runs").toString(), "--name", "p", "--latent-size", "4", "--batch", "4",
        "--n-signal", "16384", "--max-steps", "150", "--val-every", "50", "--lr", "5e-3", "--res-size", "32",
        "--skip-size", "16", "--layers", "4", "--seed", "5");
    trainLog = r.err();
    assertThat(r.exitCode()).as(r.err()).isZero();
    prior = dir.resolve("runs/p/prior.safetensors");
  }

  @Test
  void trainingLowersThePredictionLoss() {
    Matcher m = Pattern.compile("step (\\d+): latent_prediction ([0-9.]+)").matcher(trainLog);
    List<Double> losses = new ArrayList<>();
    while (m.find()) {
      losses.add(Double.parseDouble(m.group(2)));
    }
    assertThat(losses).as(trainLog).hasSize(4);
    // Untrained, the prior guesses about uniformly over 32 classes: ln 32 = 3.47 nats. The latent of
    // a random-weight model is mostly sampling noise, so only its distribution can be learnt here
    // (PriorTrainingTest shows a predictable sequence being learnt).
    assertThat(losses.get(0)).isCloseTo(Math.log(32), org.assertj.core.data.Offset.offset(0.25));
    assertThat(losses.get(3)).as(trainLog).isLessThan(losses.get(0) - 0.05);
    assertThat(prior).exists();
    assertThat(dir.resolve("runs/p/samples/step_150.wav")).exists();
  }

  @Test
  void samplesAudioOfTheRequestedLengthReproduciblyBySeed() throws Exception {
    Path a = dir.resolve("a.wav");
    Path b = dir.resolve("b.wav");
    Path c = dir.resolve("c.wav");
    for (Path out : List.of(a, b)) {
      CliRunner r = CliRunner.run("sample", "--model", model.toString(), "--prior", prior.toString(), "--seconds", "1.5",
          "--temperature", "1", "--seed", "9", "--out", out.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
    }
    CliRunner r = CliRunner.run("sample", "--model", model.toString(), "--prior", prior.toString(), "--seconds", "1.5",
        "--temperature", "0.5", "--seed", "10", "--out", c.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    AudioClip x = WavFile.read(a);
    assertThat(x.sampleRate()).isEqualTo(44100);
    assertThat(x.frameCount()).isEqualTo(66150);
    double energy = 0;
    for (float v : x.channel(0)) {
      energy += v * v;
    }
    assertThat(energy).isGreaterThan(0);
    assertThat(WavFile.read(b).channel(0)).containsExactly(x.channel(0));
    assertThat(WavFile.read(c).channel(0)).isNotEqualTo(x.channel(0));
  }

  static CliRunner trainTiny(String... extra) {
    List<String> args = new ArrayList<>(List.of("train-prior", "--model", model.toString(), "--threads", "2", "--db",
        db.toString(), "--latent-size", "2", "--batch", "2", "--n-signal", "16384", "--val-every", "3", "--lr", "5e-3",
        "--res-size", "16", "--skip-size", "8", "--layers", "3", "--sample-seconds", "0", "--seed", "7"));
    args.addAll(List.of(extra));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  static Map<String, float[]> tensors(Path file) throws Exception {
    Map<String, float[]> out = new java.util.TreeMap<>();
    try (TensorScope s = new TensorScope()) {
      Safetensors.read(file).tensors().forEach((k, v) -> out.put(k, v.toFloatArray()));
    }
    return out;
  }

  @Test
  void aResumedRunEndsWhereTheUninterruptedOneDoes() throws Exception {
    Path runs = dir.resolve("resume-runs");
    trainTiny("--out", runs.toString(), "--name", "whole", "--max-steps", "8");
    trainTiny("--out", runs.toString(), "--name", "split", "--max-steps", "4");
    Map<String, float[]> halfway = tensors(runs.resolve("split/prior.safetensors"));
    CliRunner r = trainTiny("--resume", runs.resolve("split").toString(), "--max-steps", "8");
    assertThat(r.err()).contains("resuming").contains("at step 4");
    Map<String, float[]> whole = tensors(runs.resolve("whole/prior.safetensors"));
    Map<String, float[]> resumed = tensors(runs.resolve("split/prior.safetensors"));
    assertThat(resumed.keySet()).isEqualTo(whole.keySet());
    for (String k : whole.keySet()) {
      assertThat(resumed.get(k)).as(k).containsExactly(whole.get(k));
    }
    // The checkpoints agree too (Adam's moments and steps), and the second half did move the weights.
    Map<String, float[]> wholeCkpt = tensors(runs.resolve("whole/checkpoints/last.ckpt"));
    Map<String, float[]> resumedCkpt = tensors(runs.resolve("split/checkpoints/last.ckpt"));
    assertThat(resumedCkpt.keySet()).isEqualTo(wholeCkpt.keySet()).anyMatch(k -> k.startsWith("optimizer.exp_avg_sq."));
    for (String k : wholeCkpt.keySet()) {
      assertThat(resumedCkpt.get(k)).as(k).containsExactly(wholeCkpt.get(k));
    }
    assertThat(halfway.get("pre_net.weight")).isNotEqualTo(whole.get("pre_net.weight"));
    // The run keeps its data handling: stored with the run, not changeable on resume.
    assertThat(java.nio.file.Files.readString(runs.resolve("split/prior-run.json"))).contains("\"signal\"")
        .contains("\"normalize\" : false");
    CliRunner changed = CliRunner.run("train-prior", "--model", model.toString(), "--db", db.toString(), "--resume",
        runs.resolve("split").toString(), "--max-steps", "9", "--normalize");
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("cannot be changed with --resume");
    // A second start under the same name is refused, as is resuming a folder that holds no run.
    CliRunner again = CliRunner.run("train-prior", "--model", model.toString(), "--db", db.toString(), "--out",
        runs.toString(), "--name", "whole", "--max-steps", "2");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("--resume");
    CliRunner none = CliRunner.run("train-prior", "--model", model.toString(), "--db", db.toString(), "--resume",
        dir.resolve("nowhere").toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err().strip().lines()).hasSize(1);
  }

  @Test
  void mismatchedOrMissingInputsAreRefused() throws Exception {
    Engine.initialize(2);
    Path other = TestModels.saveSmall(dir.resolve("other.jrave"), "v2", "causal");
    Path out = dir.resolve("x.wav");
    List<List<String>> cases = List.of(
        List.of("sample", "--model", other.toString(), "--prior", prior.toString(), "--seconds", "1", "--out", out.toString()),
        List.of("sample", "--model", model.toString(), "--prior", model.toString(), "--seconds", "1", "--out", out.toString()),
        List.of("sample", "--model", model.toString(), "--prior", dir.resolve("none").toString(), "--seconds", "1", "--out", out.toString()),
        List.of("sample", "--model", model.toString(), "--prior", prior.toString(), "--seconds", "-2", "--out", out.toString()),
        List.of("sample", "--model", model.toString(), "--prior", prior.toString(), "--seconds", "1", "--out", dir.toString()),
        List.of("train-prior", "--model", model.toString(), "--db", dir.resolve("no-db").toString(), "--out", dir.toString()),
        List.of("train-prior", "--model", model.toString(), "--db", db.toString(), "--out", dir.toString(), "--latent-size", "500"),
        List.of("train-prior", "--model", model.toString(), "--db", db.toString(), "--out", dir.toString(), "--rand-pitch", "2,1"));
    for (List<String> args : cases) {
      CliRunner r = CliRunner.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }
    assertThat(out).doesNotExist();
  }
}
