package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jrave.model.config.gin.GinBinding;
import org.jrave.model.config.gin.GinConfig;
import org.jrave.model.config.gin.GinTuple;
import org.junit.jupiter.api.Test;

/**
 * The gin names the documentation lists are generated from the code's tables: each marked block of
 * README.md and docs/training.md must equal its rendering here (a failure prints the block to paste),
 * and every documented macro must change the configuration.
 */
class DocumentedGinNamesTest {

  @Test
  void theDocumentedMacrosAreTheCodesTable() throws IOException {
    assertThat(block(Path.of("docs/training.md"), "gin-macros")).as("docs/training.md, gin-macros block").isEqualTo(macroTable());
    assertThat(block(Path.of("README.md"), "gin-macros")).as("README.md, gin-macros block").isEqualTo(macroLine());
  }

  @Test
  void theDocumentedBindingsAreTheOnesJraveReads() throws IOException {
    assertThat(block(Path.of("docs/training.md"), "gin-bindings")).as("docs/training.md, gin-bindings block")
        .isEqualTo(bindingList());
  }

  @Test
  void everyDocumentedMacroChangesTheConfiguration() {
    for (String macro : PresetGin.MACROS.keySet()) {
      RaveConfig preset = Presets.resolve(macro.equals("NUM_QUANTIZERS") || macro.equals("CODEBOOK_SIZE") ? "discrete" : "v2");
      Object value = PresetGin.of(preset).macro(macro);
      GinConfig change = GinConfig.parse(macro + " = " + GinConfig.format(another(value)));
      assertThat(GinOverrides.apply(preset, change, "test")).as(macro).isNotEqualTo(preset);
    }
  }

  /** A different value of the same type: an int one more, a list reversed. */
  private static Object another(Object value) {
    return switch (value) {
      case Long l -> l + 1;
      case List<?> list -> list.reversed();
      case GinTuple t -> t.items().reversed();
      default -> throw new AssertionError("no other value for " + value);
    };
  }

  private static String macroTable() {
    return "| macro | sets |\n| --- | --- |\n" + PresetGin.MACROS.entrySet().stream()
        .map(e -> "| `" + e.getKey() + "` | " + e.getValue() + " |").collect(Collectors.joining("\n"));
  }

  private static String macroLine() {
    return PresetGin.MACROS.keySet().stream().map(m -> "`" + m + "`").collect(Collectors.joining(", "));
  }

  /** The parameters jrave reads, per configurable, over all presets (modifiers on top of v2). */
  private static String bindingList() {
    Map<String, TreeSet<String>> params = new LinkedHashMap<>();
    for (Presets.Preset p : Presets.all().values()) {
      List<String> names = p.base() ? List.of(p.name()) : List.of("v2", p.name());
      for (GinBinding b : PresetGin.of(Presets.resolve(names.toArray(String[]::new))).bindings()) {
        params.computeIfAbsent(b.configurable(), k -> new TreeSet<>()).add(b.parameter());
      }
    }
    List<String> lines = new ArrayList<>();
    params.forEach((configurable, names) -> lines.add("* `" + configurable + "`: "
        + names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))));
    return String.join("\n", lines);
  }

  /** The text between {@code <!-- NAME:start -->} and {@code <!-- NAME:end -->}, trimmed. */
  private static String block(Path file, String name) throws IOException {
    String text = Files.readString(file);
    String start = "<!-- " + name + ":start -->";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    assertThat(from).as(file + " has no " + start).isNotNegative();
    assertThat(to).as(file + " has no " + end).isGreaterThan(from);
    return text.substring(from + start.length(), to).strip();
  }
}
