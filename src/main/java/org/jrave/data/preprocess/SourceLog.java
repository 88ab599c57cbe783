package org.jrave.data.preprocess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code jrave-sources.tsv} next to the database: the files whose audio is committed to it
 * (size, modification time, absolute path), appended after each commit. Re-running preprocess on
 * the same folders with new files then adds only the new or changed files. The reference ignores
 * this file; a database without it simply has no record of its sources.
 */
final class SourceLog {
  static final String FILE_NAME = "jrave-sources.tsv";

  private final Path file;
  private final Set<String> known;

  private SourceLog(Path file, Set<String> known) {
    this.file = file;
    this.known = known;
  }

  static SourceLog open(Path databaseDir) throws IOException {
    Path file = databaseDir.resolve(FILE_NAME);
    Set<String> known = new HashSet<>();
    if (Files.isRegularFile(file)) {
      known.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return new SourceLog(file, known);
  }

  boolean contains(Path source) {
    return known.contains(line(source));
  }

  void append(List<Path> sources) throws IOException {
    if (sources.isEmpty()) {
      return;
    }
    StringBuilder s = new StringBuilder();
    for (Path p : sources) {
      String line = line(p);
      known.add(line);
      s.append(line).append('\n');
    }
    Files.writeString(file, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String line(Path p) {
    try {
      return Files.size(p) + "\t" + Files.getLastModifiedTime(p).toMillis() + "\t" + p.toAbsolutePath();
    } catch (IOException e) {
      return "?\t?\t" + p.toAbsolutePath();
    }
  }
}
