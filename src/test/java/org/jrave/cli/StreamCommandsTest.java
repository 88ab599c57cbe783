package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.golden.Golden;
import org.jrave.io.NpyFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --stream BLOCK} gives the offline result (latency removed) for the non-causal golden
 * model, whose reference implementation cannot stream consistently; {@code --keep-latency} keeps
 * the delay.
 */
class StreamCommandsTest {
  @TempDir static Path dir;
  static Path run;
  static Path x;
  static final int SAMPLES = 65536;
  /** The last samples depend on what follows the signal: zero padding offline, a flushed stream here. */
  static final int COMPARED = SAMPLES - 32768;

  @BeforeAll
  static void goldenRun() throws Exception {
    Path root = Golden.requireRoot();
    run = Files.createDirectories(dir.resolve("run"));
    Files.copy(root.resolve("v2n-c8/config.gin"), run.resolve("config.gin"));
    Files.copy(root.resolve("weights.safetensors"), run.resolve("weights.safetensors"));
    x = dir.resolve("x.wav");
    WavFile.write(x, new AudioClip(44100, new float[][] {Golden.load("v2n-c8/offline.safetensors").get("x").toFloatArray()}));
  }

  private static float[] forward(String... extra) throws Exception {
    Path out = Files.createTempFile(dir, "y", ".wav");
    String[] base = {"forward", "--model", run.toString(), "-i", x.toString(), "-o", out.toString(), "--deterministic"};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
    CliRunner r = CliRunner.run(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return WavFile.read(out).channel(0);
  }

  private static double relativeError(float[] expected, float[] actual, int from, int length) {
    double peak = 0;
    double worst = 0;
    for (int i = from; i < from + length; i++) {
      peak = Math.max(peak, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertThat(peak).isGreaterThan(0);
    return worst / peak;
  }

  @Test
  void streamedForwardEqualsOfflineForEveryBlockSize() throws Exception {
    float[] offline = forward();
    for (String block : new String[] {"2048", "4096", "8192"}) {
      float[] streamed = forward("--stream", block);
      assertThat(streamed).hasSize(SAMPLES);
      assertThat(relativeError(offline, streamed, 0, COMPARED)).as("block " + block).isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void keepLatencyDelaysTheOutput() throws Exception {
    float[] aligned = forward("--stream", "2048");
    float[] delayed = forward("--stream", "2048", "--keep-latency");
    assertThat(delayed).hasSize(SAMPLES);
    // Find the shift: the aligned output reappears later in the delayed one.
    int best = -1;
    double bestErr = Double.MAX_VALUE;
    for (int shift = 0; shift < SAMPLES / 2; shift += 16) {
      double err = 0;
      for (int i = 0; i < 4096; i++) {
        err += Math.abs(aligned[i + 4096] - delayed[i + 4096 + shift]);
      }
      if (err < bestErr) {
        bestErr = err;
        best = shift;
      }
    }
    assertThat(best).isGreaterThan(0);
    assertThat(relativeError(aligned, java.util.Arrays.copyOfRange(delayed, best, SAMPLES), 0, SAMPLES - best - 32768))
        .isLessThanOrEqualTo(1e-4);
  }

  @Test
  void streamedEncodeAndDecodeMatchOffline() throws Exception {
    Path zOff = dir.resolve("z-off.npy");
    Path zStr = dir.resolve("z-str.npy");
    assertThat(CliRunner.run("encode", "--model", run.toString(), "-i", x.toString(), "-o", zOff.toString(), "--deterministic").exitCode()).isZero();
    CliRunner r = CliRunner.run("encode", "--model", run.toString(), "-i", x.toString(), "-o", zStr.toString(), "--deterministic", "--stream", "4096");
    assertThat(r.exitCode()).as(r.err()).isZero();
    float[] a = NpyFile.read(zOff).data();
    float[] b = NpyFile.read(zStr).data();
    assertThat(NpyFile.read(zStr).shape()).containsExactly(128, 32);
    // Compare the first 16 of 32 frames of every dimension (the rest sees the end of the signal).
    float[] a16 = new float[128 * 16];
    float[] b16 = new float[128 * 16];
    for (int d = 0; d < 128; d++) {
      System.arraycopy(a, d * 32, a16, d * 16, 16);
      System.arraycopy(b, d * 32, b16, d * 16, 16);
    }
    assertThat(relativeError(a16, b16, 0, a16.length)).isLessThanOrEqualTo(1e-4);

    Path yOff = dir.resolve("y-off.wav");
    Path yStr = dir.resolve("y-str.wav");
    assertThat(CliRunner.run("decode", "--model", run.toString(), "-i", zOff.toString(), "-o", yOff.toString(), "--deterministic").exitCode()).isZero();
    r = CliRunner.run("decode", "--model", run.toString(), "-i", zOff.toString(), "-o", yStr.toString(), "--deterministic", "--stream", "2048");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(relativeError(WavFile.read(yOff).channel(0), WavFile.read(yStr).channel(0), 0, COMPARED)).isLessThanOrEqualTo(1e-4);
  }

  @Test
  void badBlockSizesAreUserErrors() {
    CliRunner r = CliRunner.run("forward", "--model", run.toString(), "-i", x.toString(), "-o", dir.resolve("b.wav").toString(), "--stream", "1000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("multiple of the model's ratio (2048");
    r = CliRunner.run("forward", "--model", run.toString(), "-i", x.toString(), "-o", dir.resolve("b.wav").toString(), "--keep-latency");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--keep-latency only applies with --stream");
  }
}
