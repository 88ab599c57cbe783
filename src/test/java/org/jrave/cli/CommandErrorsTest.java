package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a one-line message naming the problem and exit code 2, never a stack trace. */
class CommandErrorsTest {
  @TempDir static Path dir;
  static Path model;
  static Path wav;

  @BeforeAll
  static void smallModel() throws Exception {
    model = TestModels.saveSmall(dir.resolve("small.jrave"), "v2");
    wav = dir.resolve("a.wav");
    WavFile.write(wav, new AudioClip(44100, new float[][] {new float[4096]}));
  }

  private static void assertUserError(CliRunner r, String... fragments) {
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void precisionIsFp32OrBf16() {
    assertUserError(CliRunner.run("forward", "--model", model.toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString(), "--precision", "fp64"), "--precision", "fp32 or bf16");
  }

  @Test
  void missingModel() {
    assertUserError(CliRunner.run("forward", "--model", dir.resolve("nope").toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString()), "does not exist");
  }

  @Test
  void modelThatIsNotAModel() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.bin"), "hello");
    assertUserError(CliRunner.run("forward", "--model", junk.toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString()), "cannot read model");
  }

  @Test
  void folderWithoutConfigGin() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("emptyrun"));
    assertUserError(CliRunner.run("forward", "--model", empty.toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString()), "config.gin");
  }

  @Test
  void wrongSampleRate() throws Exception {
    Path w = dir.resolve("48k.wav");
    WavFile.write(w, new AudioClip(48000, new float[][] {new float[4096]}));
    assertUserError(CliRunner.run("forward", "--model", model.toString(), "-i", w.toString(),
        "-o", dir.resolve("o.wav").toString()), "48000 Hz", "44100 Hz");
  }

  @Test
  void wrongChannelCount() throws Exception {
    Path w = dir.resolve("stereo.wav");
    WavFile.write(w, new AudioClip(44100, new float[][] {new float[4096], new float[4096]}));
    assertUserError(CliRunner.run("forward", "--model", model.toString(), "-i", w.toString(),
        "-o", dir.resolve("o.wav").toString()), "2 channel(s)", "mono");
  }

  @Test
  void missingInputAndCorruptWav() throws Exception {
    assertUserError(CliRunner.run("encode", "--model", model.toString(), "-i", dir.resolve("none.wav").toString(),
        "-o", dir.resolve("z.npy").toString()), "does not exist");
    Path bad = Files.writeString(dir.resolve("bad.wav"), "RIFF....not really");
    assertUserError(CliRunner.run("encode", "--model", model.toString(), "-i", bad.toString(),
        "-o", dir.resolve("z.npy").toString()), "cannot read");
  }

  @Test
  void latentOfTheWrongSize() throws Exception {
    Path z = dir.resolve("z.npy");
    org.jrave.io.NpyFile.write(z, new org.jrave.io.NpyArray(new long[] {16, 4}, new float[64]));
    assertUserError(CliRunner.run("decode", "--model", model.toString(), "-i", z.toString(),
        "-o", dir.resolve("o.wav").toString()), "16 latent dimensions", "128");
  }

  @Test
  void unknownDevice() {
    assertUserError(CliRunner.run("forward", "--model", model.toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString(), "--device", "tpu"), "unknown device");
  }

  @Test
  void forwardKeepsTheInputLength() throws Exception {
    Path w = dir.resolve("odd.wav");
    WavFile.write(w, new AudioClip(44100, new float[][] {new float[5000]}));
    Path out = dir.resolve("odd-out.wav");
    CliRunner r = CliRunner.run("forward", "--model", model.toString(), "-i", w.toString(), "-o", out.toString(),
        "--deterministic");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(out).frameCount()).isEqualTo(5000);
  }
}
