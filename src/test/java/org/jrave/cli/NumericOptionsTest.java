package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every numeric option of every command, found in the command-line model, refuses a non-number, 0
 * and a negative value with one line naming the option and exit code 2, except where the table
 * below says the value is meaningful. Values are checked before the command runs, so the paths
 * given to satisfy required options need not exist.
 */
class NumericOptionsTest {

  /** Arguments each command needs besides the option under test. */
  private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
      Map.entry("preprocess", List.of("--input", "in", "--output", "db")),
      Map.entry("train", List.of()),
      Map.entry("encode", List.of("--model", "m", "-i", "a.wav", "-o", "z.npy")),
      Map.entry("decode", List.of("--model", "m", "-i", "z.npy", "-o", "a.wav")),
      Map.entry("forward", List.of("--model", "m", "-i", "a.wav", "-o", "b.wav")),
      Map.entry("generate", List.of("--model", "m", "in", "--output", "out")),
      Map.entry("live", List.of("--model", "m")),
      Map.entry("train-prior", List.of("--model", "m", "--db", "db")),
      Map.entry("sample", List.of("--model", "m", "--prior", "p", "--seconds", "1", "--output", "o.wav")),
      Map.entry("export", List.of("--model", "m", "--output", "m.ts")),
      Map.entry("inspect", List.of("--model", "m")),
      Map.entry("demo", List.of()),
      Map.entry("studio", List.of("--runs", "runs")),
      Map.entry("bench", List.of()),
      Map.entry("bench-train", List.of()),
      Map.entry("bench-data", List.of("--input", "in")));

  /** Options where 0 means something: none, no limit, the default crop, the most likely value. */
  private static final Set<String> ZERO_VALID = Set.of(
      "train --max-minutes", "train --phase1", "train --save-every", "train --ema", "train-prior --n-signal",
      "train-prior --sample-seconds", "sample --temperature", "generate --temperature", "bench --warmup",
      "bench-train --warmup", "train --rank", "studio --port");

  /** Random seeds: every whole number, 0 and negatives included. */
  private static final Set<String> ANY_VALID = Set.of("train --seed", "train-prior --seed", "sample --seed");

  static Stream<org.junit.jupiter.params.provider.Arguments> numericOptions() {
    List<org.junit.jupiter.params.provider.Arguments> pairs = new ArrayList<>();
    JraveMain.commandLine().getSubcommands().forEach((name, sub) -> {
      for (OptionSpec option : sub.getCommandSpec().options()) {
        if (NumericOptions.isNumeric(option)) {
          pairs.add(org.junit.jupiter.params.provider.Arguments.of(name, option.longestName()));
        }
      }
    });
    return pairs.stream();
  }

  @Test
  void everyCommandWithNumericOptionsIsCovered() {
    List<String> commands = numericOptions().map(a -> (String) a.get()[0]).distinct().toList();
    assertThat(REQUIRED.keySet()).containsAll(commands);
    assertThat(numericOptions().count()).isGreaterThan(50);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("numericOptions")
  void badNumbersAreOneLineUsageErrors(String command, String option) {
    String key = command + " " + option;
    assertRefused(command, option, "abc");
    assertRefused(command, option, "1.5x");
    for (String value : List.of("0", "-3")) {
      boolean valid = ANY_VALID.contains(key) || (value.equals("0") && ZERO_VALID.contains(key));
      if (valid) {
        assertThatCode(() -> check(command, option, value)).as(key + " " + value).doesNotThrowAnyException();
      } else {
        assertRefused(command, option, value);
      }
    }
  }

  private static List<String> args(String command, String option, String value) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(REQUIRED.get(command));
    int given = args.indexOf(option);
    if (given >= 0) {
      args.set(given + 1, value);
    } else {
      args.addAll(List.of(option, value));
    }
    return args;
  }

  private static void check(String command, String option, String value) {
    CommandLine cli = JraveMain.commandLine();
    NumericOptions.check(cli.parseArgs(args(command, option, value).toArray(String[]::new)));
  }

  private static void assertRefused(String command, String option, String value) {
    String what = command + " " + option + " " + value;
    CliRunner r = CliRunner.run(args(command, option, value).toArray(String[]::new));
    assertThat(r.exitCode()).as(what + ": " + r.err()).isEqualTo(2);
    assertThat(r.err().strip()).as(what).doesNotContain("\n").doesNotContain("Exception")
        .startsWith("jrave " + command + ": " + option + " " + value).contains("give a");
  }
}
