package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jrave.audio.AudioClip;
import org.jrave.audio.TestAudio;
import org.jrave.audio.WavFile;
import org.jrave.play.PlayModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrave generate} on real recordings in several formats, rates and channel counts. */
class GenerateCommandTest {
  @TempDir static Path dir;
  static Path model;
  static Path inputs;

  @BeforeAll
  static void setUp() throws Exception {
    model = PlayModels.saveCausalSmall(dir.resolve("small.jrave"), 4, 1);
    inputs = Files.createDirectories(dir.resolve("in"));
    Files.createDirectories(inputs.resolve("drums"));
    copy("tabla_loop.flac", inputs.resolve("tabla_loop.flac"));          // 44.1 kHz mono
    copy("sonicpi_hat_raw.flac", inputs.resolve("drums/hat.flac"));       // 96 kHz mono
    copy("sonicpi_bd_boom.flac", inputs.resolve("drums/kick.flac"));      // 44.1 kHz stereo
  }

  private static void copy(String fixture, Path to) throws Exception {
    Files.copy(TestAudio.fixture(fixture), to);
  }

  private static CliRunner generate(String... args) {
    String[] base = {"generate", "--model", model.toString(), "--threads", "2", "--no-progress"};
    return CliRunner.run(Stream.concat(Stream.of(base), Stream.of(args)).toArray(String[]::new));
  }

  private static double rms(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v * v;
    }
    return Math.sqrt(s / x.length);
  }

  @Test
  void mirrorsFoldersIntoWavAtEachInputsRateAndChannelCount() throws Exception {
    Path out = dir.resolve("out-mirror");
    CliRunner r = generate(inputs.toString(), "--out", out.toString(), "--spectrogram");
    assertThat(r.exitCode()).as(r.err()).isZero();
    AudioClip tabla = WavFile.read(out.resolve("in/tabla_loop.wav"));
    AudioClip hat = WavFile.read(out.resolve("in/drums/hat.wav"));
    AudioClip kick = WavFile.read(out.resolve("in/drums/kick.wav"));
    assertThat(tabla.sampleRate()).isEqualTo(44100);
    assertThat(tabla.frameCount()).isEqualTo(5 * 44100);
    assertThat(hat.sampleRate()).isEqualTo(96000);
    assertThat(hat.channelCount()).isEqualTo(1);
    assertThat(hat.durationSeconds()).isCloseTo(0.21, org.assertj.core.data.Offset.offset(0.01));
    assertThat(kick.channelCount()).isEqualTo(2);
    assertThat(kick.durationSeconds()).isCloseTo(1.71, org.assertj.core.data.Offset.offset(0.01));
    assertThat(rms(tabla.channel(0))).isGreaterThan(1e-5);
    // A mono model transforms each channel on its own: random sampling makes them differ.
    assertThat(kick.channel(0)).isNotEqualTo(kick.channel(1));
    BufferedImage png = ImageIO.read(out.resolve("in/tabla_loop.png").toFile());
    // Two labelled panels of 256 frequency rows (input, output) and the time axis below.
    assertThat(png.getHeight()).isEqualTo(2 * (256 + 16) + 30);
    assertThat(png.getWidth()).isGreaterThan(500);
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains(".tmp"))).isEmpty();
    }
  }

  @Test
  void streamingEqualsOfflineAndLatentEditsChangeTheSound() throws Exception {
    Path tabla = inputs.resolve("tabla_loop.flac");
    float[] offline = run(tabla, "off", "--deterministic");
    float[] streamed = run(tabla, "str", "--deterministic", "--stream", "2048");
    assertThat(streamed).hasSize(offline.length);
    double peak = 0;
    double worst = 0;
    for (int i = 0; i < offline.length - 32768; i++) {
      peak = Math.max(peak, Math.abs(offline[i]));
      worst = Math.max(worst, Math.abs(offline[i] - streamed[i]));
    }
    assertThat(worst / peak).isLessThan(1e-3);
    assertThat(run(tabla, "again", "--deterministic")).containsExactly(offline);
    float[] biased = run(tabla, "bias", "--deterministic", "--bias", "0=3", "--scale", "1=0");
    assertThat(rms(diff(biased, offline))).isGreaterThan(0.05 * rms(offline));
    float[] streamedBias = run(tabla, "sbias", "--deterministic", "--bias", "0=3", "--scale", "1=0", "--stream", "2048");
    assertThat(rms(diff(Arrays.copyOf(streamedBias, 100000), Arrays.copyOf(biased, 100000))))
        .isLessThan(1e-3 * rms(biased));
    // Truncating the latent to 1 dimension replaces the others by noise: outputs differ run to run.
    float[] t1 = run(tabla, "t1", "--deterministic", "--latent-size", "1", "--temperature", "1");
    float[] t2 = run(tabla, "t2", "--deterministic", "--latent-size", "1", "--temperature", "1");
    assertThat(t1).isNotEqualTo(t2);
    float[] t0 = run(tabla, "t0", "--deterministic", "--latent-size", "1", "--temperature", "0");
    assertThat(run(tabla, "t0b", "--deterministic", "--latent-size", "1", "--temperature", "0")).containsExactly(t0);
  }

  private static float[] diff(float[] a, float[] b) {
    float[] d = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static float[] run(Path input, String name, String... options) throws Exception {
    Path out = dir.resolve("out-" + name);
    String[] args = Stream.concat(Stream.of(input.toString(), "--out", out.toString()), Stream.of(options)).toArray(String[]::new);
    CliRunner r = generate(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return WavFile.read(out.resolve("tabla_loop.wav")).channel(0);
  }

  @Test
  void aBrokenFileIsSkippedWithoutPartialOutputAndTheRunFails() throws Exception {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    copy("sonicpi_hat_raw.flac", mixed.resolve("good.flac"));
    Files.write(mixed.resolve("broken.wav"), "RIFF\u0000\u0000\u0000\u0000WAVEnot really audio".getBytes());
    Path out = dir.resolve("out-mixed");
    CliRunner r = generate(mixed.toString(), "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("broken.wav").contains("1 of 2 file(s) failed");
    assertThat(out.resolve("mixed/good.wav")).exists();
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList())
          .containsExactly("good.wav");
    }
  }

  @Test
  void refusesToOverwriteAnInput() throws Exception {
    Path wavs = Files.createDirectories(dir.resolve("wavs"));
    Path x = wavs.resolve("x.wav");
    WavFile.write(x, new AudioClip(44100, new float[][] {new float[4096]}));
    byte[] before = Files.readAllBytes(x);
    CliRunner r = generate(wavs.toString(), "--out", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("would overwrite the input");
    assertThat(Files.readAllBytes(x)).isEqualTo(before);
  }

  @Test
  void badArgumentsGiveOneLineErrors() throws Exception {
    Path tabla = inputs.resolve("tabla_loop.flac");
    Path out = dir.resolve("out-bad");
    for (List<String> args : List.of(
        List.of(dir.resolve("missing.wav").toString(), "--out", out.toString()),
        List.of(tabla.toString(), "--out", out.toString(), "--stream", "1000"),
        List.of(tabla.toString(), "--out", out.toString(), "--latent-size", "999"),
        List.of(tabla.toString(), "--out", out.toString(), "--bias", "200=1"),
        List.of(tabla.toString(), "--out", out.toString(), "--temperature", "0.5"),
        List.of(tabla.toString(), "--out", out.toString(), "--latent-size", "2", "--temperature", "-1"),
        List.of(tabla.toString(), "--out", tabla.toString()))) {
      CliRunner r = generate(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }
    Path badModel = Files.writeString(dir.resolve("bad.jrave"), "not a model");
    CliRunner r = CliRunner.run("generate", "--model", badModel.toString(), tabla.toString(), "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
  }
}
