package org.jrave.data.preprocess;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jrave.data.DatasetException;

/** Finds the audio files under the given inputs, in a stable (sorted) order. */
public final class AudioFiles {
  /** Extensions looked for in folders (case-insensitive). Files named explicitly are always taken. */
  public static final Set<String> DEFAULT_EXTENSIONS = Set.of(
      "wav", "wave", "aif", "aiff", "aifc", "flac", "ogg", "oga", "opus", "mp3", "m4a", "aac", "mp4", "wma", "caf");

  /** The files found, and how many files of other extensions were passed over, per extension. */
  public record Found(List<Path> files, Map<String, Integer> ignoredByExtension) {}

  private AudioFiles() {}

  public static Found find(List<Path> inputs, Set<String> extensions) {
    Set<Path> files = new TreeSet<>();
    Map<String, Integer> ignored = new TreeMap<>();
    for (Path input : inputs) {
      Path abs = input.toAbsolutePath().normalize();
      if (Files.isRegularFile(abs)) {
        files.add(abs);
      } else if (Files.isDirectory(abs)) {
        walk(abs, extensions, files, ignored);
      } else {
        throw new DatasetException("input " + input + " does not exist (give audio files or folders to --input)");
      }
    }
    return new Found(new ArrayList<>(files), ignored);
  }

  /**
   * Follows symbolic links (FileVisitOption.FOLLOW_LINKS reports loops as failures, which are
   * skipped like unreadable folders) and leaves hidden files out (macOS "._x.wav" companions are not audio).
   */
  private static void walk(Path root, Set<String> extensions, Set<Path> files, Map<String, Integer> ignored) {
    try {
      Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          boolean hidden = !dir.equals(root) && dir.getFileName().toString().startsWith(".");
          return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String ext = extension(file);
          if (!attrs.isRegularFile()) {
            return FileVisitResult.CONTINUE;
          }
          if (file.getFileName().toString().startsWith(".")) {
            ignored.merge("(hidden)", 1, Integer::sum);
          } else if (extensions.contains(ext)) {
            files.add(file);
          } else {
            ignored.merge(ext.isEmpty() ? "(none)" : ext, 1, Integer::sum);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          ignored.merge("(unreadable or a link loop)", 1, Integer::sum);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new DatasetException("cannot list the folder " + root + ": " + e.getMessage(), e);
    }
  }

  static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
