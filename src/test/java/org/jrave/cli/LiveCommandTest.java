package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jrave.audio.AudioClip;
import org.jrave.audio.TestAudio;
import org.jrave.audio.WavFile;
import org.jrave.play.PlayModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrave live} from a looped file into the clocked virtual output, and its errors. */
class LiveCommandTest {
  @TempDir static Path dir;
  static Path model;
  static Path tabla;

  @BeforeAll
  static void setUp() throws Exception {
    model = PlayModels.saveCausalSmall(dir.resolve("small.jrave"), 4, 1);
    tabla = Files.copy(TestAudio.fixture("tabla_loop.flac"), dir.resolve("tabla.flac"));
  }

  @Test
  void runsForTheGivenTimeAndRecordsWhatItPlayed() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path rec = dir.resolve("rec/live.wav");
    CliRunner r = CliRunner.run("live", "--model", model.toString(), "--threads", "2", "--input", tabla.toString(),
        "--output", "virtual", "--record", rec.toString(), "--seconds", "2", "--block", "2048", "--no-terminal",
        "--osc", Integer.toString(port), "--bias", "0=0.5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("end-to-end latency").contains("inference ahead 2048").contains("OSC control on udp://127.0.0.1:" + port)
        .containsPattern("44 blocks in [0-9.]+ s: [0-9]+ processed, [0-9]+ dropout\\(s\\), [0-9]+ underrun\\(s\\); "
            + "block time median [0-9.]+ ms, p90 [0-9.]+, p99 [0-9.]+, max [0-9.]+ ms");
    AudioClip played = WavFile.read(rec);
    assertThat(played.sampleRate()).isEqualTo(44100);
    // One block of silence queued first, then 44 blocks (the first one silent while the model
    // computes the first; plus any gap if the machine was too busy).
    assertThat(played.frameCount()).isGreaterThanOrEqualTo(45 * 2048);
    double energy = 0;
    for (float v : played.channel(0)) {
      energy += v * v;
    }
    assertThat(energy).isGreaterThan(0);
  }

  @Test
  void listsDevicesWithoutAModel() {
    CliRunner r = CliRunner.run("live", "--list-devices");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isNotBlank();
  }

  @Test
  void mistakesEndWithOneLineAndExitCode2() throws Exception {
    Path notAudio = Files.writeString(dir.resolve("notes.txt"), "hello");
    for (List<String> args : List.of(
        List.of("--input", dir.resolve("nothing-here.wav").toString(), "--output", "virtual"),
        List.of("--input", notAudio.toString(), "--output", "virtual"),
        List.of("--input", tabla.toString(), "--output", "no-such-device-xyz"),
        List.of("--input", tabla.toString(), "--output", "virtual", "--block", "1000"),
        List.of("--input", tabla.toString(), "--output", "virtual", "--bias", "999=1"),
        List.of("--input", tabla.toString(), "--output", "virtual", "--record", dir.toString()),
        List.of("--input", tabla.toString(), "--output", "virtual", "--seconds", "-1"))) {
      Stream<String> seconds = args.contains("--seconds") ? Stream.of() : Stream.of("--seconds", "1");
      String[] full = Stream.of(Stream.of("live", "--model", model.toString(), "--no-terminal"), seconds, args.stream())
          .flatMap(x -> x).toArray(String[]::new);
      CliRunner r = CliRunner.run(full);
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("jrave live: ");
    }
  }
}
