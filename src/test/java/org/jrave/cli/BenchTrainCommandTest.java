package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrave.data.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrave bench-train}: steps timed on noise or on a database's batches, in fp32 or bf16. */
class BenchTrainCommandTest {

  @TempDir static Path tmp;
  static Path db;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabases.tabla(tmp.resolve("db"), 1);
  }

  private static final String[] TINY = {"bench-train", "--override", "capacity=4", "--override", "latent_size=8",
      "--batch", "2", "--n-signal", "8192", "--runs", "2", "--warmup", "0", "--threads", "2"};

  private static String[] args(String... extra) {
    String[] out = java.util.Arrays.copyOf(TINY, TINY.length + extra.length);
    System.arraycopy(extra, 0, out, TINY.length, extra.length);
    return out;
  }

  @Test
  void onADatabaseEachFigureGivesTheDataWaitOfItsSteps() {
    CliRunner r = CliRunner.runWithConsole(args("--db", db.toString(), "--precision", "bf16"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("bf16 mixed precision").contains("input: " + db);
    Matcher m = Pattern.compile("phase 2 discriminator step +([0-9.]+) s .*data wait median ([0-9.]+) ms, max ([0-9.]+) ms")
        .matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isPositive();
    double median = Double.parseDouble(m.group(2));
    double max = Double.parseDouble(m.group(3));
    assertThat(median).isFinite().isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(max);
    assertThat(r.out().lines().filter(l -> l.contains("data wait median"))).hasSize(3);
  }

  @Test
  void onNoiseTheDataWaitIsNotApplicable() {
    CliRunner r = CliRunner.runWithConsole(args());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("fp32").contains("data wait: n/a (noise input)").doesNotContain("data wait median");
    assertThat(r.out()).containsPattern("phase 1 step +[0-9.]+ s");
  }

  @Test
  void aBadPrecisionOrDatabaseIsOneLine() {
    CliRunner bad = CliRunner.runWithConsole(args("--precision", "half"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("jrave bench-train: --precision: unknown precision 'half' (use fp32 or bf16)")
        .doesNotContain("Exception");
    CliRunner missing = CliRunner.runWithConsole(args("--db", tmp.resolve("nowhere").toString()));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("jrave bench-train:").doesNotContain("\tat ");
  }
}
