package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.interop.NnTildeFixture;
import org.jrave.io.NpyFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encode/decode/forward accept an nn~ TorchScript model as --model. */
class TorchScriptCommandsTest {
  @TempDir static Path dir;
  static Path ts;
  static Path wav;

  @BeforeAll
  static void fixture() throws Exception {
    ts = dir.resolve("fixture.ts");
    NnTildeFixture.write(ts, NnTildeFixture.Style.MODERN, 44100, 1, 4, 64);
    wav = dir.resolve("a.wav");
    float[] x = new float[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.05);
    }
    WavFile.write(wav, new AudioClip(44100, new float[][] {x}));
  }

  @Test
  void encodeDecodeForwardRunTheTorchScriptModel() throws Exception {
    Path z = dir.resolve("z.npy");
    CliRunner r = CliRunner.run("encode", "--model", ts.toString(), "-i", wav.toString(), "-o", z.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(NpyFile.read(z).shape()).containsExactly(4, 16);
    Path y = dir.resolve("y.wav");
    r = CliRunner.run("decode", "--model", ts.toString(), "-i", z.toString(), "-o", y.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(y).frameCount()).isEqualTo(16 * 64);
    Path f = dir.resolve("f.wav");
    r = CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(), "-o", f.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(WavFile.read(f).frameCount()).isEqualTo(1000);
  }

  @Test
  void streamingRunsTheModelBlockByBlockAndMatchesOneCall() throws Exception {
    Path whole = dir.resolve("whole.wav");
    Path streamed = dir.resolve("streamed.wav");
    CliRunner r = CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(), "-o", whole.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    r = CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(), "-o", streamed.toString(),
        "--stream", "128");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // The fixture's delay-line cache carries over between blocks, so 128-sample blocks give the whole-call output.
    assertThat(WavFile.read(streamed).channels()[0]).containsExactly(WavFile.read(whole).channels()[0],
        org.assertj.core.api.Assertions.within(1e-5f));
    assertUserError(CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(),
        "-o", streamed.toString(), "--stream", "100"), "multiple of the model's ratio (64 samples)");
  }

  @Test
  void mismatchesAndUnsupportedOptionsAreUserErrors() throws Exception {
    Path w48 = dir.resolve("48k.wav");
    WavFile.write(w48, new AudioClip(48000, new float[][] {new float[512]}));
    assertUserError(CliRunner.run("forward", "--model", ts.toString(), "-i", w48.toString(),
        "-o", dir.resolve("o.wav").toString()), "48000 Hz", "44100 Hz");
    Path stereo = dir.resolve("st.wav");
    WavFile.write(stereo, new AudioClip(44100, new float[][] {new float[512], new float[512]}));
    assertUserError(CliRunner.run("forward", "--model", ts.toString(), "-i", stereo.toString(),
        "-o", dir.resolve("o.wav").toString()), "2 channel(s)");
    assertUserError(CliRunner.run("forward", "--model", ts.toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString(), "--deterministic"), "--deterministic is not available");
    Path junk = Files.writeString(dir.resolve("junk.ts"), "not a model");
    assertUserError(CliRunner.run("forward", "--model", junk.toString(), "-i", wav.toString(),
        "-o", dir.resolve("o.wav").toString()), "not a TorchScript archive");
  }

  private static void assertUserError(CliRunner r, String... fragments) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }
}
