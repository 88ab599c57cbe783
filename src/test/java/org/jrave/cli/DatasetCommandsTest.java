package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.audio.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetCommandsTest {
  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = JraveMain.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    try {
      int code = cli.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void preprocessPrintsASummaryAndDurationTheTotal() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(TestAudio.fixture("tabla_loop.ogg"), in.resolve("a.ogg"));
    Files.copy(TestAudio.fixture("sonicpi_bd_boom.flac"), in.resolve("b.flac"));
    Files.writeString(in.resolve("c.wav"), "broken");
    Run r = run("preprocess", "--input", in.toString(), "--output", tmp.resolve("db").toString(), "--num-signal", "16384");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("2 file(s) read").contains("1 file(s) skipped").contains("c.wav")
        .contains("nothing dropped").contains("latent PCA: NOT enough examples");
    Run d = run("duration", in.toString());
    assertThat(d.exit()).isZero();
    assertThat(d.out()).contains("in 2 audio file(s)").contains("c.wav");
    double seconds = Double.parseDouble(d.out().replaceAll("(?s).*\\(([0-9.]+) s\\).*", "$1"));
    assertThat(seconds).isBetween(6.7, 6.8); // 5 s + 1.714 s
  }

  @Test
  void userMistakesExitWith2AndAMessage() throws Exception {
    Path file = Files.writeString(tmp.resolve("out.txt"), "keep me");
    Run r = run("preprocess", "--input", TestAudio.fixture("tabla_loop.flac").toString(), "--output", file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is an existing file").doesNotContain("Exception");
    assertThat(Files.readString(file)).isEqualTo("keep me");
    Path empty = Files.createDirectories(tmp.resolve("nothing"));
    Run none = run("preprocess", "--input", empty.toString(), "--output", tmp.resolve("db").toString());
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("no audio files found");
    assertThat(run("preprocess", "--input", empty.toString(), "--output", "x", "--channel-mode", "weird").err())
        .contains("downmix or select");
  }
}
