package org.jrave.data.preprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
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
        try (Stream<Path> walk = Files.walk(abs)) {
          walk.filter(Files::isRegularFile).forEach(p -> {
            String ext = extension(p);
            if (extensions.contains(ext)) {
              files.add(p);
            } else if (!p.getFileName().toString().startsWith(".")) {
              ignored.merge(ext.isEmpty() ? "(none)" : ext, 1, Integer::sum);
            }
          });
        } catch (IOException | UncheckedIOException e) {
          throw new DatasetException("cannot list the folder " + abs + ": " + e.getMessage(), e);
        }
      } else {
        throw new DatasetException("input " + input + " does not exist (give audio files or folders to --input)");
      }
    }
    return new Found(new ArrayList<>(files), ignored);
  }

  static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
