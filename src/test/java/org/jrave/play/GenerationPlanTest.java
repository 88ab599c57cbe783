package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each input's output goes, and what is refused. */
class GenerationPlanTest {
  @TempDir Path dir;

  private Path touch(String rel) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, "x");
  }

  @Test
  void mirrorsFoldersAndKeepsExtensionsOnlyWhenNamesCollide() throws Exception {
    touch("in/a.flac");
    touch("in/a.wav");
    touch("in/sub/b.mp3");
    touch("in/notes.txt");
    Path c = touch("c.ogg");
    Path out = dir.resolve("out");
    GenerationPlan plan = GenerationPlan.of(List.of(dir.resolve("in"), c), out);
    assertThat(plan.items()).extracting(i -> out.relativize(i.output()).toString().replace('\\', '/'))
        .containsExactlyInAnyOrder("in/a.wav", "in/a.wav.wav", "in/sub/b.wav", "c.wav");
  }

  @Test
  void refusesToWriteOverAnyInputOrToReadWhatIsMissing() throws Exception {
    Path wav = touch("music/x.wav");
    assertThatThrownBy(() -> GenerationPlan.of(List.of(dir.resolve("music")), dir))
        .isInstanceOf(GenerationPlan.PlanException.class).hasMessageContaining("overwrite").hasMessageContaining("x.wav");
    assertThatThrownBy(() -> GenerationPlan.of(List.of(wav), wav.getParent()))
        .isInstanceOf(GenerationPlan.PlanException.class).hasMessageContaining("overwrite");
    assertThatThrownBy(() -> GenerationPlan.of(List.of(dir.resolve("nope.wav")), dir.resolve("o")))
        .isInstanceOf(GenerationPlan.PlanException.class).hasMessageContaining("does not exist");
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> GenerationPlan.of(List.of(dir.resolve("empty")), dir.resolve("o")))
        .isInstanceOf(GenerationPlan.PlanException.class).hasMessageContaining("no audio files");
  }
}
