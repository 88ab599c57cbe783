package org.jrave.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jrave.train.RunFolder;

/**
 * The training runs under one folder (and the folder itself when it is a run), rescanned on every
 * listing so that runs started after the studio appear. Each run gets an id the first time it is
 * seen; the browser names runs only by these ids, never by path.
 */
final class RunCatalog {

  /** One run and its history of events. */
  record Entry(String id, String name, RunFolder folder, RunHistory history) {}

  private final Path root;
  private final Map<Path, Entry> byPath = new LinkedHashMap<>();
  private final Map<String, Entry> byId = new LinkedHashMap<>();

  /** @param root the folder of runs, or null for none */
  RunCatalog(Path root) {
    this.root = root;
  }

  synchronized List<Entry> list() {
    if (root == null) {
      return List.of();
    }
    for (Path dir : runFolders()) {
      byPath.computeIfAbsent(dir.toAbsolutePath().normalize(), p -> {
        String id = "r" + (byId.size() + 1);
        RunFolder run = new RunFolder(p);
        Entry e = new Entry(id, p.getFileName() == null ? p.toString() : p.getFileName().toString(), run,
            new RunHistory(run));
        byId.put(id, e);
        return e;
      });
    }
    return new ArrayList<>(byId.values());
  }

  synchronized Optional<Entry> find(String id) {
    if (!byId.containsKey(id)) {
      list();
    }
    return Optional.ofNullable(byId.get(id));
  }

  private List<Path> runFolders() {
    List<Path> dirs = new ArrayList<>();
    if (isRun(root)) {
      dirs.add(root);
    }
    try (Stream<Path> children = Files.list(root)) {
      children.filter(RunCatalog::isRun).sorted().forEach(dirs::add);
    } catch (IOException e) {
      // A runs folder that vanished or cannot be read lists nothing; the page says so.
    }
    return dirs;
  }

  private static boolean isRun(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("run.json"));
  }
}
