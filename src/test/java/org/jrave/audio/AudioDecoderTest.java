package org.jrave.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AudioDecoderTest {
  private final AudioDecoder decoder = new AudioDecoder();
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestAudio.Format.class)
  void decodesEveryWavSampleFormatToTheSamplesWritten(TestAudio.Format format) throws Exception {
    float[][] x = TestAudio.sine(2, 4410, 44100, 441, 0.5);
    Path wav = TestAudio.writeWav(dir.resolve(format + ".wav"), x, 44100, format);
    DecodedAudio d = decoder.decode(wav, AudioTarget.asIs());
    assertThat(d.sampleRate()).isEqualTo(44100);
    assertThat(d.channels()).isEqualTo(2);
    assertThat(d.frames()).isEqualTo(4410);
    double tolerance = format == TestAudio.Format.U8 ? 1.0 / 100 : 1e-4;
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < 4410; i += 7) {
        assertThat((double) d.samples()[c][i]).as("%s ch %d frame %d", format, c, i).isCloseTo(x[c][i], within(tolerance));
      }
    }
  }

  @Test
  void resamplesWithoutChangingPitchOrLength() throws Exception {
    // 1 s of 1 kHz at 48 kHz -> 44.1 kHz: same duration, and still a 1 kHz sine (fit residual tiny).
    Path wav = TestAudio.writeWav(dir.resolve("48k.wav"), TestAudio.sine(1, 48000, 48000, 1000, 0.5), 48000, TestAudio.Format.F32);
    DecodedAudio d = decoder.decode(wav, AudioTarget.of(44100, 1));
    assertThat(d.sampleRate()).isEqualTo(44100);
    assertThat(d.frames()).isBetween(44100 - 2, 44100 + 2);
    float[] y = d.samples()[0];
    double err = 0;
    double energy = 0;
    for (int i = 2000; i < 42000; i++) {
      double ideal = 0.5 * Math.sin(2 * Math.PI * 1000 * i / 44100.0);
      err += (y[i] - ideal) * (y[i] - ideal);
      energy += ideal * ideal;
    }
    assertThat(10 * Math.log10(err / energy)).as("error relative to signal, dB").isLessThan(-60);
  }

  @Test
  void oddRatesFromTheFixturesBecomeTheTargetRate() throws Exception {
    for (String name : new String[] {"sonicpi_hat_raw.flac", "sonicpi_hat_sci.flac"}) {
      AudioInfo info = decoder.probe(TestAudio.fixture(name));
      DecodedAudio d = decoder.decode(TestAudio.fixture(name), AudioTarget.of(44100, 1));
      assertThat(info.sampleRate()).isIn(96000, 192000);
      assertThat(d.seconds()).isCloseTo(info.seconds(), within(0.002));
      assertThat(peak(d.samples()[0])).isGreaterThan(0.01f);
    }
  }

  @Test
  void downmixAveragesAndSelectKeepsTheFirstChannel() throws Exception {
    float[][] x = TestAudio.sine(1, 2000, 44100, 300, 0.5);
    float[][] stereo = {x[0], x[0].clone()};
    for (int i = 0; i < 2000; i++) {
      stereo[1][i] = -0.25f;
    }
    Path wav = TestAudio.writeWav(dir.resolve("st.wav"), stereo, 44100, TestAudio.Format.F32);
    float[] mix = decoder.decode(wav, new AudioTarget(0, 1, ChannelMode.DOWNMIX)).samples()[0];
    float[] left = decoder.decode(wav, new AudioTarget(0, 1, ChannelMode.SELECT)).samples()[0];
    for (int i = 0; i < 2000; i += 13) {
      assertThat(mix[i]).isCloseTo((x[0][i] - 0.25f) / 2, within(1e-6f));
      assertThat(left[i]).isCloseTo(x[0][i], within(1e-6f));
    }
    // mono to stereo duplicates
    Path mono = TestAudio.writeWav(dir.resolve("mono.wav"), x, 44100, TestAudio.Format.F32);
    DecodedAudio dual = decoder.decode(mono, AudioTarget.of(0, 2));
    assertThat(dual.samples()[1]).containsExactly(dual.samples()[0]);
  }

  @Test
  void compressedFixturesDecodeToTheSameMusic() throws Exception {
    float[] flac = decoder.decode(TestAudio.fixture("tabla_loop.flac"), AudioTarget.of(44100, 1)).samples()[0];
    assertThat(flac.length).isEqualTo(5 * 44100);
    for (String lossy : new String[] {"tabla_loop.ogg", "tabla_loop.mp3"}) {
      float[] y = decoder.decode(TestAudio.fixture(lossy), AudioTarget.of(44100, 1)).samples()[0];
      assertThat(y.length).as(lossy).isBetween(5 * 44100 - 10, 5 * 44100 + 2000);
      assertThat(bestCorrelation(flac, y, 1200)).as(lossy).isGreaterThan(0.95);
    }
  }

  @Test
  void rangeDecodingMatchesTheFullDecode() throws Exception {
    float[] full = decoder.decode(TestAudio.fixture("tabla_loop.flac"), AudioTarget.of(44100, 1)).samples()[0];
    DecodedAudio part = decoder.decodeRange(TestAudio.fixture("tabla_loop.flac"), AudioTarget.of(44100, 1), 100000, 50000);
    assertThat(part.frames()).isEqualTo(50000);
    for (int i = 0; i < 50000; i += 101) {
      assertThat(part.samples()[0][i]).isCloseTo(full[100000 + i], within(1e-6f));
    }
    DecodedAudio tail = decoder.decodeRange(TestAudio.fixture("tabla_loop.flac"), AudioTarget.of(44100, 1), full.length - 100, 1000);
    assertThat(tail.samples()[0][500]).isZero();
  }

  @Test
  void rejectsNonAudioCorruptTruncatedAndEmptyFiles() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.mp3"), "these are my lyrics, not audio\n".repeat(50), StandardCharsets.UTF_8);
    byte[] noise = new byte[20000];
    new Random(1).nextBytes(noise);
    Path garbage = Files.write(dir.resolve("garbage.wav"), noise);
    Path empty = Files.write(dir.resolve("empty.flac"), new byte[0]);
    Path wav = TestAudio.writeWav(dir.resolve("full.wav"), TestAudio.sine(1, 44100, 44100, 440, 0.5), 44100, TestAudio.Format.S16);
    byte[] bytes = Files.readAllBytes(wav);
    Path truncated = Files.write(dir.resolve("truncated.wav"), Arrays.copyOf(bytes, bytes.length / 2));
    byte[] flac = Files.readAllBytes(TestAudio.fixture("tabla_loop.flac"));
    Path cutFlac = Files.write(dir.resolve("cut.flac"), Arrays.copyOf(flac, flac.length / 3));
    byte[] damaged = flac.clone();
    new Random(2).nextBytes(noise);
    System.arraycopy(noise, 0, damaged, damaged.length / 2, 4000);
    Path corruptFlac = Files.write(dir.resolve("damaged.flac"), damaged);

    for (Path bad : new Path[] {text, garbage, empty, truncated, cutFlac, corruptFlac}) {
      assertThatThrownBy(() -> decoder.decode(bad, AudioTarget.of(44100, 1)))
          .as(bad.getFileName().toString())
          .isInstanceOf(AudioDecodeException.class)
          .satisfies(e -> assertThat(((AudioDecodeException) e).reason()).isNotBlank());
    }
    assertThatThrownBy(() -> decoder.decode(truncated, AudioTarget.asIs())).hasMessageContaining("truncated");
  }

  @Test
  void decodesAiffM4aAndOpusMadeByFfmpegEncoders() throws Exception {
    float[][] x = TestAudio.sine(2, 48000, 48000, 440, 0.4);
    Path aiff = TestAudio.writeAiff(dir.resolve("tone.aiff"), x, 48000);
    DecodedAudio a = decoder.decode(aiff, AudioTarget.asIs());
    assertThat(a.sampleRate()).isEqualTo(48000);
    assertThat(a.frames()).isEqualTo(48000);
    assertThat(a.samples()[1][1000]).isCloseTo(x[1][1000], within(1e-4f));
    for (String[] codec : new String[][] {{"aac", "ipod", "tone.m4a"}, {"opus", "ogg", "tone.opus"}}) {
      Path file = dir.resolve(codec[2]);
      assertThat(TestEncoder.encode(x, 48000, file, codec[0], codec[1])).as("encoder " + codec[0]).isTrue();
      DecodedAudio d = decoder.decode(file, AudioTarget.of(44100, 1));
      assertThat(d.seconds()).as(codec[2]).isCloseTo(1.0, within(0.05));
      float[] ideal = decoder.decode(aiff, AudioTarget.of(44100, 1)).samples()[0];
      assertThat(bestCorrelation(ideal, d.samples()[0], 2000)).as(codec[2]).isGreaterThan(0.95);
    }
  }

  private static float peak(float[] x) {
    float p = 0;
    for (float v : x) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }

  /** Highest normalised correlation over lags 0..maxLag (codec delays). */
  private static double bestCorrelation(float[] a, float[] b, int maxLag) {
    double best = -1;
    int n = Math.min(a.length, b.length) - maxLag;
    for (int lag = 0; lag <= maxLag; lag++) {
      double ab = 0, aa = 0, bb = 0;
      for (int i = 0; i < n; i++) {
        ab += a[i] * b[i + lag];
        aa += a[i] * a[i];
        bb += b[i + lag] * b[i + lag];
      }
      best = Math.max(best, ab / Math.sqrt(aa * bb));
    }
    return best;
  }
}
