package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrave.play.PlayModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrave bench --ts}: an exported streaming TorchScript file timed block by block, and its errors. */
class BenchCommandTest {
  @TempDir static Path dir;
  static Path script;

  @BeforeAll
  static void exportTinyModel() throws Exception {
    Path model = PlayModels.saveCausalSmall(dir.resolve("tiny.jrave"), 4, 1);
    script = dir.resolve("tiny.ts");
    CliRunner r = CliRunner.run("export", "--model", model.toString(), "--out", script.toString(), "--streaming");
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void timesTheFilesForwardBlockByBlock() {
    CliRunner r = CliRunner.run("bench", "--ts", script.toString(), "--block", "1024", "--blocks", "6",
        "--threads", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Matcher m = Pattern.compile("tiny\\.ts +block +1024: median +([0-9.]+) ms \\(no reference figure\\) +p90 +([0-9.]+)"
        + " +p99 +([0-9.]+) +max +([0-9.]+) ms +over 23\\.2 ms budget: ([0-9]+)/6 +latency ([0-9]+) samples"
        + " +Java alloc ([0-9]+) B/block").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    double median = Double.parseDouble(m.group(1));
    double p90 = Double.parseDouble(m.group(2));
    double max = Double.parseDouble(m.group(4));
    assertThat(median).isPositive().isLessThanOrEqualTo(p90);
    assertThat(p90).isLessThanOrEqualTo(max);
    assertThat(Integer.parseInt(m.group(5))).isBetween(0, 6);
    // The latency is the one the export declares for forward (a causal model: the PQMF's only).
    assertThat(Integer.parseInt(m.group(6))).isPositive();
  }

  @Test
  void withAPresetBothEnginesAreMeasuredInOneRun() {
    CliRunner r = CliRunner.run("bench", "--ts", script.toString(), "--preset", "v2_small+causal", "--block", "1024",
        "--blocks", "3", "--threads", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("v2_small\\+causal +block +1024: median +[0-9.]+ ms .* over 23\\.2 ms budget: [0-9]/3")
        .containsPattern("tiny\\.ts +block +1024: median +[0-9.]+ ms")
        .containsPattern("native v2_small\\+causal / tiny\\.ts: median ratio [0-9.]+");
    assertThat(r.out().indexOf("v2_small+causal  block")).isLessThan(r.out().indexOf("tiny.ts  "));
  }

  @Test
  void aFileThatIsNotAModelEndsWithOneLineAndExitCode2() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.ts"), "hello");
    for (Path bad : new Path[] {dir.resolve("missing.ts"), text}) {
      CliRunner r = CliRunner.run("bench", "--ts", bad.toString(), "--blocks", "2");
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("jrave bench: --ts ").contains(bad.toString());
      assertThat(r.err().strip().lines()).hasSize(1);
    }
  }

  @Test
  void aBlockTheModelCannotTakeIsRefused() {
    CliRunner r = CliRunner.run("bench", "--ts", script.toString(), "--block", "1000", "--blocks", "2");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
  }
}
