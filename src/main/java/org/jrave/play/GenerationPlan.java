package org.jrave.play;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrave.data.preprocess.AudioFiles;

/**
 * Which output each input file gets: a file given by name becomes {@code OUT/<name>.wav}; a file
 * found in a folder {@code F} becomes {@code OUT/<F's name>/<path inside F>.wav}. Two inputs that
 * would meet on one output name (a.flac and a.wav) keep their extension ({@code a.flac.wav}). A plan
 * that would write over any input is refused.
 */
public record GenerationPlan(List<Item> items) {

  /** One input file and the WAV it becomes. */
  public record Item(Path input, Path output) {}

  /** Thrown for inputs that do not exist, hold no audio, or would be overwritten. */
  public static final class PlanException extends RuntimeException {
    public PlanException(String message) {
      super(message);
    }
  }

  public static GenerationPlan of(List<Path> inputs, Path outDir) {
    Path out = outDir.toAbsolutePath().normalize();
    Map<Path, Path> relativeByInput = new LinkedHashMap<>();
    for (Path given : inputs) {
      Path abs = given.toAbsolutePath().normalize();
      if (Files.isRegularFile(abs)) {
        relativeByInput.putIfAbsent(abs, abs.getFileName());
      } else if (Files.isDirectory(abs)) {
        List<Path> found = AudioFiles.find(List.of(abs), AudioFiles.DEFAULT_EXTENSIONS).files();
        Path base = abs.getFileName() == null ? Path.of("root") : abs.getFileName();
        for (Path f : found) {
          relativeByInput.putIfAbsent(f, base.resolve(abs.relativize(f)));
        }
      } else {
        throw new PlanException("input " + given + " does not exist");
      }
    }
    if (relativeByInput.isEmpty()) {
      throw new PlanException("no audio files found in " + inputs);
    }
    Set<Path> taken = new HashSet<>();
    List<Item> items = new ArrayList<>();
    for (var e : relativeByInput.entrySet()) {
      Path rel = e.getValue();
      String name = rel.getFileName().toString();
      int dot = name.lastIndexOf('.');
      Path target = out.resolve(rel).resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".wav");
      if (!taken.add(target)) {
        target = out.resolve(rel).resolveSibling(name + ".wav");
        taken.add(target);
      }
      items.add(new Item(e.getKey(), target));
    }
    refuseOverwrites(items);
    return new GenerationPlan(List.copyOf(items));
  }

  private static void refuseOverwrites(List<Item> items) {
    Set<Path> inputs = new HashSet<>();
    for (Item i : items) {
      inputs.add(real(i.input()));
    }
    for (Item i : items) {
      if (inputs.contains(i.output()) || inputs.contains(real(i.output()))) {
        throw new PlanException("--output would overwrite the input " + i.output() + ": choose an output folder "
            + "that does not hold the inputs");
      }
    }
  }

  private static Path real(Path p) {
    try {
      return Files.exists(p) ? p.toRealPath() : p;
    } catch (IOException e) {
      return p;
    }
  }
}
