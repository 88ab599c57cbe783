package org.jrave.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jrave.inference.NativeCodec;
import org.jrave.interop.TorchScriptCodec;
import org.jrave.interop.TorchScriptModel;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelLoader;
import org.jrave.engine.Device;

/**
 * The models the studio offers: those given with {@code --model}, the model files lying in the runs
 * folder itself ({@code .safetensors}, {@code .ts}, as {@code jrave demo} leaves one) and every run's
 * best model, or its last checkpoint until it has one. Each gets an id; the browser chooses by id.
 * A model is loaded on first use and kept.
 */
final class ModelCatalog implements AutoCloseable {

  /** One model the user can choose. */
  record Entry(String id, String label, Path path, boolean torchScript) {}

  private final List<Path> given;
  private final RunCatalog runs;
  private final Map<Path, Entry> byPath = new LinkedHashMap<>();
  private final Map<String, Entry> byId = new LinkedHashMap<>();
  private final Map<String, PlayableModel> loaded = new LinkedHashMap<>();

  private final Path runsRoot;

  /** @param runsRoot the runs folder, or null */
  ModelCatalog(List<Path> given, RunCatalog runs, Path runsRoot) {
    this.given = List.copyOf(given);
    this.runs = runs;
    this.runsRoot = runsRoot;
  }

  synchronized List<Entry> list() {
    for (Path p : given) {
      register(p, p.getFileName() == null ? p.toString() : p.getFileName().toString());
    }
    for (Path file : looseModelFiles()) {
      register(file, file.getFileName().toString());
    }
    for (RunCatalog.Entry run : runs.list()) {
      if (Files.isRegularFile(run.folder().modelFile())) {
        register(run.folder().root(), "run " + run.name() + " (best model)");
      } else if (Files.isRegularFile(run.folder().lastCheckpoint())) {
        register(run.folder().lastCheckpoint(), "run " + run.name() + " (last checkpoint)");
      }
    }
    return new ArrayList<>(byId.values());
  }

  synchronized Optional<Entry> find(String id) {
    if (!byId.containsKey(id)) {
      list();
    }
    return Optional.ofNullable(byId.get(id));
  }

  /** The model, loaded now if needed; an {@link IOException} with a user's message when it cannot be. */
  synchronized PlayableModel load(Entry entry) throws IOException {
    PlayableModel model = loaded.get(entry.id());
    if (model == null) {
      model = entry.torchScript()
          ? new PlayableModel(entry, new TorchScriptCodec(TorchScriptModel.open(entry.path())))
          : new PlayableModel(entry, nativeCodec(entry.path()));
      loaded.put(entry.id(), model);
    }
    return model;
  }

  private List<Path> looseModelFiles() {
    if (runsRoot == null) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(runsRoot)) {
      return files.filter(Files::isRegularFile).filter(f -> {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".safetensors") || name.endsWith(".ts");
      }).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static NativeCodec nativeCodec(Path path) throws IOException {
    RaveModel model = ModelLoader.load(path);
    model.eval();
    return new NativeCodec(model, Device.CPU);
  }

  private void register(Path path, String label) {
    byPath.computeIfAbsent(path.toAbsolutePath().normalize(), p -> {
      String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
      Entry e = new Entry("m" + (byId.size() + 1), label, p, name.endsWith(".ts"));
      byId.put(e.id(), e);
      return e;
    });
  }

  @Override
  public synchronized void close() {
    loaded.values().forEach(PlayableModel::close);
    loaded.clear();
  }
}
