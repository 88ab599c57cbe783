package org.jrave.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.data.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {
  @TempDir Path tmp;

  @Test
  void findsAudioRecursivelyFollowingLinksAndSkippingHiddenFilesAndLoops() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("music/a"));
    Files.writeString(root.resolve("x.WAV"), "");
    Files.writeString(root.resolve("._x.wav"), ""); // macOS companion file
    Files.writeString(root.resolve("cover.jpg"), "");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("y.flac"), "");
    Files.createSymbolicLink(tmp.resolve("music/linked"), elsewhere);
    Files.createSymbolicLink(root.resolve("loop"), tmp.resolve("music")); // a cycle
    Files.createDirectories(tmp.resolve("music/.cache"));
    Files.writeString(tmp.resolve("music/.cache/z.mp3"), "");

    AudioFiles.Found found = AudioFiles.find(List.of(tmp.resolve("music")), AudioFiles.DEFAULT_EXTENSIONS);

    assertThat(found.files()).extracting(p -> p.getFileName().toString()).containsExactly("x.WAV", "y.flac");
    assertThat(found.ignoredByExtension()).containsEntry("jpg", 1).containsEntry("(hidden)", 1)
        .containsKey("(unreadable or a link loop)");
    assertThatThrownBy(() -> AudioFiles.find(List.of(tmp.resolve("nope")), AudioFiles.DEFAULT_EXTENSIONS))
        .isInstanceOf(DatasetException.class).hasMessageContaining("does not exist");
  }
}
