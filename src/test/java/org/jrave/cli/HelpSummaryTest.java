package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code jrave --help} lists every command with a summary that is one whole sentence. */
class HelpSummaryTest {

  @Test
  void everyCommandSummaryIsAWholeSentence() {
    CliRunner r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    Map<String, String> summaries = commandSummaries(r.out());
    Map<String, CommandLine> visible = new LinkedHashMap<>();
    JraveMain.commandLine().getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        visible.put(name, sub);
      }
    });
    assertThat(summaries.keySet()).containsExactlyElementsOf(visible.keySet());
    summaries.forEach((name, shown) -> {
      assertThat(shown).as(name).endsWith(".");
      // Not cut: what the list shows is the whole first description line, itself one sentence.
      var usage = visible.get(name).getCommandSpec().usageMessage();
      String first = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
      assertThat(shown.replaceAll("\\s", "")).as(name).isEqualTo(first.replaceAll("\\s", ""));
      assertThat(first.substring(0, first.length() - 1)).as(name).doesNotContain(". ");
    });
  }

  /** Command name to its summary, joining the lines picocli wraps it on. */
  private static Map<String, String> commandSummaries(String help) {
    Map<String, String> summaries = new LinkedHashMap<>();
    String current = null;
    boolean inCommands = false;
    for (String line : help.split("\\R")) {
      if (line.equals("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  \\S.*")) {
        String[] parts = line.strip().split("\\s+", 2);
        current = parts[0];
        summaries.put(current, parts.length > 1 ? parts[1] : "");
      } else if (inCommands && current != null && line.startsWith("   ")) {
        summaries.merge(current, line.strip(), (a, b) -> a + " " + b);
      }
    }
    return summaries;
  }
}
