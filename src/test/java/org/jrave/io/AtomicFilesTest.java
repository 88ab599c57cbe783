package org.jrave.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void failedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
    Path target = dir.resolve("x.bin");
    Files.writeString(target, "old");
    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      out.write(new byte[100_000]); // more than the buffer, so bytes reach the temporary file
      throw new IOException("disk on fire");
    })).isInstanceOf(IOException.class).hasMessage("cannot write " + target.toAbsolutePath() + ": disk on fire");
    assertThat(Files.readString(target)).isEqualTo("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void failedWriteOfNewFileLeavesNothing() throws IOException {
    Path target = dir.resolve("new.bin");
    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      throw new IllegalStateException("bug");
    })).isInstanceOf(IllegalStateException.class);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void successfulWriteReplacesContent() throws IOException {
    Path target = dir.resolve("y.txt");
    Files.writeString(target, "old old old");
    AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.US_ASCII)));
    assertThat(Files.readString(target)).isEqualTo("new");
  }
}
