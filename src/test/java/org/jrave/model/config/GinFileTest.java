package org.jrave.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's gin file: includes of the reference's configurations are presets, its own lines apply on top. */
class GinFileTest {

  @TempDir Path dir;

  @Test
  void includesOfTheReferencesConfigurationsArePresets() throws Exception {
    Files.writeString(dir.resolve("mine.gin"), """
        include "configs/v2.gin"
        include 'causal.gin'
        include 'extra.gin'
        CAPACITY = 32
        """);
    Files.writeString(dir.resolve("extra.gin"), "VariationalEncoder.beta = 0.5\n");
    GinFile file = GinFile.load(dir.resolve("mine.gin"));
    assertThat(file.presets()).containsExactly("v2", "causal");
    assertThat(file.definitions().macros()).containsOnlyKeys("CAPACITY");
    assertThat(file.definitions().bindings()).hasSize(1);
  }

  @Test
  void problemsNameTheFileAndLine() throws Exception {
    Path hybrid = Files.writeString(dir.resolve("hybrid_run.gin"), "CAPACITY = 32\ninclude 'hybrid.gin'\n");
    assertThatThrownBy(() -> GinFile.load(hybrid)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(hybrid + ":2:9: include 'hybrid.gin': jrave has no equivalent of the reference's hybrid.gin")
        .hasMessageContaining("v2_small");
    Path broken = Files.writeString(dir.resolve("broken.gin"), "CAPACITY = 32\nRATIOS = [4, 4\n");
    assertThatThrownBy(() -> GinFile.load(broken)).hasMessageStartingWith(broken + ":2:");
    Path missingInclude = Files.writeString(dir.resolve("inc.gin"), "include 'mine_too.gin'\n");
    assertThatThrownBy(() -> GinFile.load(missingInclude)).hasMessageStartingWith(missingInclude + ":1:9: included file "
        + "'mine_too.gin' not found");
    assertThatThrownBy(() -> GinFile.load(dir.resolve("none.gin"))).hasMessage("gin file " + dir.resolve("none.gin")
        + " does not exist");
  }
}
