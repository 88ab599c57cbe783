package org.jrave.model.config.gin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written snippets for every syntax case and the lookup rules. */
class GinParserTest {

  @TempDir Path dir;

  private static Object value(String text) {
    return GinConfig.parse("m.C.p = " + text + "\n").get("m.C", "p");
  }

  private static List<Object> list(Object... items) {
    return Arrays.asList(items);
  }

  @Test
  void commentsImportsAndBlankLines() {
    GinConfig c = GinConfig.parse("""
        # a comment
        from __gin__ import dynamic_registration
        import cached_conv as cc
        import torch.nn as nn   # trailing comment

        m.C.p = 1  # comment after a value
        m.C.s = 'a # not a comment'
        """);
    assertThat(c.bindings()).hasSize(2);
    assertThat(c.macros()).isEmpty();
    assertThat(c.get("m.C.p")).isEqualTo(1L);
    assertThat(c.get("m.C.s")).isEqualTo("a # not a comment");
  }

  @Test
  void numbers() {
    assertThat(value("42")).isEqualTo(42L);
    assertThat(value("-5")).isEqualTo(-5L);
    assertThat(value("+3")).isEqualTo(3L);
    assertThat(value("0")).isEqualTo(0L);
    assertThat(value("1_000_000")).isEqualTo(1_000_000L);
    assertThat(value("0x1F")).isEqualTo(31L);
    assertThat(value("0o17")).isEqualTo(15L);
    assertThat(value("0b101")).isEqualTo(5L);
    assertThat(value("9007199254740993")).isEqualTo(9007199254740993L);
    assertThat(value("1e-07")).isEqualTo(1e-7);
    assertThat(value("2.5E3")).isEqualTo(2500.0);
    assertThat(value("-1.5")).isEqualTo(-1.5);
    assertThat(value("1.")).isEqualTo(1.0);
    assertThat(value(".5")).isEqualTo(0.5);
    assertThat(value("0.05")).isEqualTo(0.05);
    assertThat(value("-0.0")).isEqualTo(-0.0);
  }

  @Test
  void strings() {
    assertThat(value("'single'")).isEqualTo("single");
    assertThat(value("\"double\"")).isEqualTo("double");
    assertThat(value("'it\\'s'")).isEqualTo("it's");
    assertThat(value("\"say \\\"hi\\\"\"")).isEqualTo("say \"hi\"");
    assertThat(value("'a\\nb\\tc\\\\d'")).isEqualTo("a\nb\tc\\d");
    assertThat(value("'\\x41\\u00e9'")).isEqualTo("Aé");
    assertThat(value("r'C:\\new'")).isEqualTo("C:\\new");
    assertThat(value("'con' \"cat\"")).isEqualTo("concat");
    assertThat(value("'%NOT_A_MACRO @not.ref'")).isEqualTo("%NOT_A_MACRO @not.ref");
    assertThat(value("'0.01,0.01'")).isEqualTo("0.01,0.01");
    assertThat(value("''")).isEqualTo("");
  }

  @Test
  void constants() {
    assertThat(value("True")).isEqualTo(true);
    assertThat(value("False")).isEqualTo(false);
    assertThat(value("None")).isNull();
    GinConfig c = GinConfig.parse("m.C.p = None\n");
    assertThat(c.has("m.C", "p")).isTrue();
    assertThat(c.isNone("m.C", "p")).isTrue();
  }

  @Test
  void lists() {
    assertThat(value("[]")).isEqualTo(List.of());
    assertThat(value("[1, 2, 3]")).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(value("[1, 2, 3,]")).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(value("[[1, 3, 9], [1, 3]]")).isEqualTo(List.of(List.of(1L, 3L, 9L), List.of(1L, 3L)));
    assertThat(value("[None, 'a', 1.5, True]")).isEqualTo(list(null, "a", 1.5, true));
  }

  @Test
  void tuples() {
    assertThat(value("(5, 1)")).isEqualTo(GinTuple.of(5L, 1L));
    assertThat(value("(3,)")).isEqualTo(GinTuple.of(3L));
    assertThat(value("()")).isEqualTo(GinTuple.of());
    assertThat(value("(7)")).isEqualTo(7L); // parentheses, not a tuple
    assertThat(value("((1, 2), [3])")).isEqualTo(GinTuple.of(GinTuple.of(1L, 2L), List.of(3L)));
    assertThat(value("(3,)").toString()).isEqualTo("(3,)");
  }

  @Test
  void dicts() {
    Map<Object, Object> expected = new LinkedHashMap<>();
    expected.put("feature_matching", 20L);
    expected.put("b", List.of(1L, 2L));
    expected.put(3L, "x");
    expected.put(GinTuple.of(1L, 2L), null);
    assertThat(value("{'feature_matching': 20, \"b\": [1, 2], 3: 'x', (1, 2): None,}")).isEqualTo(expected);
    assertThat(value("{}")).isEqualTo(Map.of());
    assertThat(List.copyOf(((Map<?, ?>) value("{'z': 1, 'a': 2}")).keySet())).isEqualTo(List.of("z", "a"));
  }

  @Test
  void references() {
    assertThat(value("@blocks.NoiseGeneratorV2")).isEqualTo(new GinReference("blocks.NoiseGeneratorV2", "", false));
    assertThat(value("@core.get_augmented_latent_size()"))
        .isEqualTo(new GinReference("core.get_augmented_latent_size", "", true));
    assertThat(value("@periods/discriminator.ConvNet"))
        .isEqualTo(new GinReference("discriminator.ConvNet", "periods", false));
    assertThat(value("@a/b/m.F()")).isEqualTo(new GinReference("m.F", "a/b", true));
    assertThat(value("@Snake")).isEqualTo(new GinReference("Snake", "", false));
    assertThat(value("[@m.A, @m.B()]")).isEqualTo(
        List.of(new GinReference("m.A", "", false), new GinReference("m.B", "", true)));
    assertThat(value("@m.B()").toString()).isEqualTo("@m.B()");
  }

  @Test
  void macrosResolveRecursivelyInsideContainers() {
    GinConfig c = GinConfig.parse("""
        A = 3
        B = %A
        L = [%A, (%B, 1), {'k': %B}]
        m.C.p = %L
        m.C.q = %B
        """);
    assertThat(c.get("m.C", "q")).isEqualTo(3L);
    Map<Object, Object> dict = Map.of("k", 3L);
    assertThat(c.get("m.C", "p")).isEqualTo(List.of(3L, GinTuple.of(3L, 1L), dict));
    assertThat(c.macros().get("B")).isEqualTo(new GinMacro("A"));
    assertThat(c.macro("L")).isEqualTo(List.of(3L, GinTuple.of(3L, 1L), dict));
  }

  @Test
  void laterMacroRedefinitionAffectsEarlierBindings() {
    GinConfig c = GinConfig.parse("""
        CAPACITY = 64
        m.Enc.capacity = %CAPACITY
        m.Dis.capacity = %CAPACITY
        CAPACITY = 96
        """);
    assertThat(c.getInt("m.Enc", "capacity")).isEqualTo(96);
    assertThat(c.getInt("Dis", "capacity")).isEqualTo(96);
    assertThat(c.macros()).hasSize(1);
  }

  @Test
  void undefinedAndCyclicMacros() {
    GinConfig c = GinConfig.parse("""
        A = %B
        B = %A
        m.C.p = %A
        m.C.q = [%MISSING]
        """);
    assertThatThrownBy(() -> c.get("m.C", "p")).isInstanceOf(GinException.class)
        .hasMessageContaining("m.C.p").hasMessageContaining("macro cycle");
    assertThatThrownBy(() -> c.get("m.C", "q")).isInstanceOf(GinException.class)
        .hasMessageContaining("m.C.q (<string>:4)").hasMessageContaining("undefined macro %MISSING");
  }

  @Test
  void continuationsAndMultiLineBrackets() {
    GinConfig c = GinConfig.parse("m.C.a = \\\n    [@m.X,\n     @m.Y]\r\nm.C.b = {\n  'k': (1,\n        2),\n}\n");
    assertThat(c.get("m.C", "a")).isEqualTo(List.of(new GinReference("m.X", "", false), new GinReference("m.Y", "", false)));
    assertThat(c.get("m.C", "b")).isEqualTo(Map.of("k", GinTuple.of(1L, 2L)));
    assertThat(c.binding("m.C", "b").orElseThrow().line()).isEqualTo(4);
  }

  @Test
  void laterBindingsOverrideEarlierOnes() {
    GinConfig c = GinConfig.parse("""
        m.C.p = 1
        m.C.q = 'x'
        m.C.p = 2
        """);
    assertThat(c.getInt("m.C", "p")).isEqualTo(2);
    assertThat(c.bindings()).extracting(GinBinding::key).containsExactly("m.C.q", "m.C.p");
    assertThat(c.binding("m.C", "p").orElseThrow().line()).isEqualTo(3);
  }

  @Test
  void shortAndLongConfigurableNamesAreTheSameConfigurable() {
    GinConfig longLast = GinConfig.parse("EncoderV2.n_out = 1\nblocks.EncoderV2.n_out = 2\n");
    assertThat(longLast.getInt("blocks.EncoderV2", "n_out")).isEqualTo(2);
    assertThat(longLast.getInt("EncoderV2", "n_out")).isEqualTo(2);
    GinConfig shortLast = GinConfig.parse("blocks.EncoderV2.n_out = 2\nEncoderV2.n_out = 1\n");
    assertThat(shortLast.getInt("blocks.EncoderV2", "n_out")).isEqualTo(1);
    assertThat(shortLast.getInt("rave.blocks.EncoderV2", "n_out")).isEqualTo(1);
    // A short-name binding applies to any module's EncoderV2; a qualified one only to its own.
    assertThat(shortLast.has("other.EncoderV2", "n_out")).isTrue();
    GinConfig qualified = GinConfig.parse("blocks.EncoderV2.n_out = 2\n");
    assertThat(qualified.has("other.EncoderV2", "n_out")).isFalse();
    assertThat(qualified.has("V2", "n_out")).isFalse(); // suffixes match only at a dot
  }

  @Test
  void mostSpecificScopeWins() {
    GinConfig c = GinConfig.parse("""
        a/b/m.X.p = 'ab'
        m.X.p = 'none'
        a/m.X.p = 'a'
        b/m.X.p = 'b'
        m.X.q = 'unscoped q'
        """);
    assertThat(c.getString("m.X", "p")).isEqualTo("none");
    assertThat(c.getString("a/m.X", "p")).isEqualTo("a");
    assertThat(c.getString("a/b/m.X", "p")).isEqualTo("ab");
    assertThat(c.getString("a/b/c/m.X", "p")).isEqualTo("ab");
    assertThat(c.getString("b/m.X", "p")).isEqualTo("b");
    assertThat(c.getString("c/m.X", "p")).isEqualTo("none");
    assertThat(c.getString("b/a/m.X", "p")).isEqualTo("b");
    assertThat(c.getString("a/b/X", "q")).isEqualTo("unscoped q");
    assertThat(c.binding("a/b/m.X", "p").orElseThrow().scope()).isEqualTo("a/b");
    assertThat(c.scopesOf("m.X")).containsExactly("a/b", "", "a", "b");
  }

  @Test
  void typedAccessors() {
    GinConfig c = GinConfig.parse("""
        m.C.i = 7
        m.C.big = 3000000000
        m.C.f = 0.5
        m.C.b = True
        m.C.s = 'txt'
        m.C.n = None
        m.C.nested = [(1, 2), [3]]
        m.C.mixed = [1, 'a']
        """);
    assertThat(c.getLong("m.C", "big")).isEqualTo(3_000_000_000L);
    assertThat(c.getDouble("m.C", "i")).isEqualTo(7.0);
    assertThat(c.getDouble("m.C", "f")).isEqualTo(0.5);
    assertThat(c.getNestedIntList("m.C", "nested")).isEqualTo(List.of(List.of(1, 2), List.of(3)));
    assertThatThrownBy(() -> c.getInt("m.C", "big")).isInstanceOf(GinException.class)
        .hasMessageContaining("m.C.big").hasMessageContaining("does not fit");
    assertThatThrownBy(() -> c.getInt("m.C", "f")).isInstanceOf(GinException.class)
        .hasMessageContaining("expected an int, found float 0.5");
    assertThatThrownBy(() -> c.getInt("m.C", "n")).isInstanceOf(GinException.class)
        .hasMessageContaining("found None");
    assertThatThrownBy(() -> c.getBoolean("m.C", "i")).isInstanceOf(GinException.class)
        .hasMessageContaining("expected True or False");
    assertThatThrownBy(() -> c.getString("m.C", "b")).isInstanceOf(GinException.class)
        .hasMessageContaining("expected a string, found bool True");
    assertThatThrownBy(() -> c.getDouble("m.C", "s")).isInstanceOf(GinException.class)
        .hasMessageContaining("expected a number");
    assertThatThrownBy(() -> c.getIntList("m.C", "mixed")).isInstanceOf(GinException.class)
        .hasMessageContaining("m.C.mixed (<string>:8)").hasMessageContaining("list of ints");
    assertThatThrownBy(() -> c.getMap("m.C", "s")).isInstanceOf(GinException.class).hasMessageContaining("dict");
  }

  @Test
  void includesResolveRelativeToTheIncludingFile() throws IOException {
    Files.createDirectories(dir.resolve("configs/augmentations"));
    Files.writeString(dir.resolve("configs/v1.gin"), """
        CAPACITY = 64
        m.Enc.capacity = %CAPACITY
        m.Enc.kind = 'v1'
        m.Enc.aug = 'none'
        """);
    Files.writeString(dir.resolve("configs/augmentations/gain.gin"), "m.Enc.aug = 'gain'\n");
    Files.writeString(dir.resolve("configs/v2.gin"), """
        include 'v1.gin'
        include "augmentations/gain.gin"
        CAPACITY = 96
        m.Enc.kind = 'v2'
        """);
    Files.writeString(dir.resolve("run.gin"), "include 'configs/v2.gin'\nm.Enc.extra = 1\n");
    GinConfig c = GinConfig.load(dir.resolve("run.gin"));
    assertThat(c.getInt("m.Enc", "capacity")).isEqualTo(96);
    assertThat(c.getString("m.Enc", "kind")).isEqualTo("v2");
    assertThat(c.getString("m.Enc", "aug")).isEqualTo("gain");
    assertThat(c.getInt("m.Enc", "extra")).isEqualTo(1);
    assertThat(c.binding("m.Enc", "capacity").orElseThrow().source()).endsWith("v1.gin");

    GinConfig fromText = GinConfig.parse("include 'v2.gin'\nCAPACITY = 8\n", "inline", dir.resolve("configs"));
    assertThat(fromText.getInt("m.Enc", "capacity")).isEqualTo(8);
  }

  @Test
  void aConsumerMayStandInForIncludes() throws IOException {
    Files.writeString(dir.resolve("own.gin"), "m.Enc.own = 2\n");
    Path run = Files.writeString(dir.resolve("run.gin"), "include 'v2.gin'\ninclude 'own.gin'\nm.Enc.extra = 1\n");
    List<String> stoodIn = new java.util.ArrayList<>();
    GinConfig c = GinConfig.load(run, (name, from) -> {
      if (name.equals("v2.gin")) {
        stoodIn.add(name);
        return java.util.Optional.empty();
      }
      return GinIncludes.FILES.resolve(name, from);
    });
    assertThat(stoodIn).containsExactly("v2.gin");
    assertThat(c.getInt("m.Enc", "own")).isEqualTo(2);
    assertThat(c.getInt("m.Enc", "extra")).isEqualTo(1);

    assertThatThrownBy(() -> GinConfig.load(run, (name, from) -> {
      throw new GinException("not here");
    })).isInstanceOf(GinException.class).hasMessage(run + ":1:9: not here");
  }

  @Test
  void missingAndCyclicIncludesAreErrors() throws IOException {
    Files.writeString(dir.resolve("a.gin"), "m.A.p = 1\ninclude 'missing.gin'\n");
    assertThatThrownBy(() -> GinConfig.load(dir.resolve("a.gin"))).isInstanceOf(GinException.class)
        .hasMessageContaining("a.gin:2:").hasMessageContaining("'missing.gin' not found");
    Files.writeString(dir.resolve("x.gin"), "include 'y.gin'\n");
    Files.writeString(dir.resolve("y.gin"), "include 'x.gin'\n");
    assertThatThrownBy(() -> GinConfig.load(dir.resolve("x.gin"))).isInstanceOf(GinException.class)
        .hasMessageContaining("include cycle");
  }

  private static void assertSyntaxError(String text, String... fragments) {
    var assertion = assertThatThrownBy(() -> GinConfig.parse(text)).isInstanceOf(GinException.class);
    for (String f : fragments) {
      assertion.hasMessageContaining(f);
    }
  }

  @Test
  void syntaxErrorsReportLineAndColumn() {
    assertSyntaxError("A = 1\n\nm.C.p = ]\n", "<string>:3:9", "unbalanced ']'");
    assertSyntaxError("A = 1\nm.C.p = ,\n", "<string>:2:9", "expected a value, found ','");
    assertSyntaxError("m.C.p = [1, 2\nm.C.q = 3\n", "<string>:1:9", "'[' is never closed");
    assertSyntaxError("m.C.p = (1, 2]\n", "<string>:1:14", "does not match '('");
    assertSyntaxError("m.C.p =\n", "<string>:1:8", "expected a value, found end of line");
    assertSyntaxError("m.C.p = 1 2\n", "<string>:1:11", "unexpected '2' after the value");
    assertSyntaxError("m.C.p = foo\n", "unexpected name 'foo'");
    assertSyntaxError("\nm.C.p = 'abc\n", "<string>:2:9", "unterminated string");
    assertSyntaxError("= 3\n", "<string>:1:1", "expected a binding");
    assertSyntaxError("m.C.p 3\n", "expected '='");
    assertSyntaxError("s/MACRO = 3\n", "neither a macro");
    assertSyntaxError("m.C.p = 1 \\ 2\n", "line continuation");
    assertSyntaxError("m.C.p = 1$\n", "unexpected character '$'");
    assertSyntaxError("m.C.p = 1e\n", "malformed number");
    assertSyntaxError("m.C.p = 012\n", "leading zeros");
    assertSyntaxError("m.C.p = 99999999999999999999\n", "out-of-range");
    assertSyntaxError("m.C.p = {[1]: 2}\n", "unhashable");
    assertSyntaxError("m.C.p = {'a' 2}\n", "expected ':'");
    assertSyntaxError("m.C.p = @m.F(1)\n", "take no arguments");
    assertSyntaxError("m.C.p = %\n", "expected a macro name");
    assertSyntaxError("m..C.p = 1\n", "expected a name after '.'");
    assertSyntaxError("include foo\n", "expected a quoted file name");
    assertSyntaxError("m.C.p = - 'a'\n", "expected a number after '-'");
  }

  @Test
  void configIsImmutable() {
    GinConfig c = GinConfig.parse("A = [1]\nm.C.p = {'k': [1]}\n");
    assertThatThrownBy(() -> c.bindings().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.macros().put("B", 1L)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> a = (List<Object>) c.macro("A");
    assertThatThrownBy(() -> a.add(2L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.getMap("m.C", "p").clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
