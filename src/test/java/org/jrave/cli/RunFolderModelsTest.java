package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.data.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code jrave train} writes is a model everywhere {@code --model} is taken: the run folder
 * (its best model) and its checkpoints (with {@code --ema}, their averages) give the same outputs as
 * the run's {@code model.safetensors} they correspond to.
 */
class RunFolderModelsTest {
  @TempDir static Path tmp;
  static Path plain;
  static Path averaged;
  static Path wav;

  @BeforeAll
  static void tinyRuns() throws Exception {
    Path db = TestDatabases.tabla(tmp.resolve("db"), 1);
    plain = train(db, "plain");
    averaged = train(db, "averaged", "--ema", "0.9");
    float[] signal = new float[8192];
    for (int i = 0; i < signal.length; i++) {
      signal[i] = (float) (0.5 * Math.sin(2 * Math.PI * 220 * i / 44100.0));
    }
    wav = tmp.resolve("in.wav");
    WavFile.write(wav, new AudioClip(44100, new float[][] {signal}));
  }

  private static Path train(Path db, String name, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--db", db.toString(), "--output", tmp.resolve("runs").toString(),
        "--name", name, "--preset", "v2", "--override", "capacity=4", "--override", "latent_size=8", "--batch", "2",
        "--n-signal", "8192", "--val-every", "1", "--save-every", "0", "--max-steps", "2", "--threads", "2",
        "--workers", "1"));
    args.addAll(List.of(extra));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path run = tmp.resolve("runs").resolve(name);
    assertThat(run.resolve("model.safetensors")).exists();
    assertThat(run.resolve("checkpoints/best.ckpt")).exists();
    return run;
  }

  private static byte[] encode(String name, String... model) throws Exception {
    Path z = tmp.resolve(name + ".npy");
    List<String> args = new ArrayList<>(List.of("encode", "-i", wav.toString(), "-o", z.toString(), "--deterministic"));
    args.addAll(List.of(model));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Files.readAllBytes(z);
  }

  private static byte[] exportOnnx(String name, String... model) throws Exception {
    Path onnx = tmp.resolve(name + ".onnx");
    List<String> args = new ArrayList<>(List.of("export", "--output", onnx.toString(), "--threads", "2"));
    args.addAll(List.of(model));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Files.readAllBytes(onnx);
  }

  @Test
  void theRunFolderAndItsBestCheckpointAreTheBestModel() throws Exception {
    String best = plain.resolve("model.safetensors").toString();
    byte[] expected = encode("plain-best", "--model", best);
    assertThat(encode("plain-run", "--model", plain.toString())).isEqualTo(expected);
    assertThat(encode("plain-ckpt", "--model", plain.resolve("checkpoints/best.ckpt").toString())).isEqualTo(expected);
    byte[] exported = exportOnnx("plain-best", "--model", best);
    assertThat(exportOnnx("plain-run", "--model", plain.toString())).isEqualTo(exported);
    assertThat(exportOnnx("plain-ckpt", "--model", plain.resolve("checkpoints/best.ckpt").toString())).isEqualTo(exported);
  }

  @Test
  void emaTakesACheckpointsAverages() throws Exception {
    String best = averaged.resolve("model.safetensors").toString();
    String ckpt = averaged.resolve("checkpoints/best.ckpt").toString();
    byte[] expected = encode("avg-best", "--model", best);
    assertThat(encode("avg-run", "--model", averaged.toString())).isEqualTo(expected);
    assertThat(encode("avg-ckpt-ema", "--model", ckpt, "--ema")).isEqualTo(expected);
    // Without --ema the checkpoint gives the trained weights, which the averages lag behind.
    assertThat(encode("avg-ckpt", "--model", ckpt)).isNotEqualTo(expected);
    assertThat(exportOnnx("avg-ckpt-ema", "--model", ckpt, "--ema")).isEqualTo(exportOnnx("avg-best", "--model", best));
  }

  private static void assertOneLineError(CliRunner r, String... fragments) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").contains(fragments);
  }

  @Test
  void emaNeedsACheckpointWithAverages() {
    assertOneLineError(CliRunner.run("encode", "--model", plain.resolve("checkpoints/best.ckpt").toString(), "--ema",
        "-i", wav.toString(), "-o", tmp.resolve("x.npy").toString()), "has no EMA weights", "drop --ema");
    assertOneLineError(CliRunner.run("encode", "--model", averaged.toString(), "--ema",
        "-i", wav.toString(), "-o", tmp.resolve("x.npy").toString()), "already holds them");
  }

  @Test
  void foldersAndCheckpointsJraveDoesNotKnowAreNamedForWhatTheyAreNot() throws Exception {
    Path neither = Files.createDirectories(tmp.resolve("neither"));
    assertOneLineError(CliRunner.run("inspect", "--model", neither.toString()),
        neither + " is neither a jrave run folder", "nor a reference run");

    Path junk = Files.writeString(tmp.resolve("junk.ckpt"), "not a checkpoint");
    CliRunner r = CliRunner.run("inspect", "--model", junk.toString());
    assertOneLineError(r, "neither a jrave training checkpoint nor a Lightning checkpoint");
    assertThat(r.err()).doesNotContain("jrave import");

    Path lightning = tmp.resolve("ref/epoch=1.ckpt");
    Files.createDirectories(lightning.getParent());
    Files.write(lightning, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
    assertOneLineError(CliRunner.run("inspect", "--model", lightning.toString()),
        "is a Lightning checkpoint of the reference", "jrave import " + lightning.getParent().toAbsolutePath());
  }
}
