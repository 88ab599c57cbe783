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
import org.jrave.model.RaveModel;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorNetwork;

/**
 * The priors under the runs folder ({@code NAME/prior.safetensors}, as {@code jrave train-prior}
 * writes them), each with the facts of the model it was trained for, so the page offers a model
 * only the priors that fit it.
 */
final class PriorCatalog {

  record Entry(String id, String label, Path file, PriorFile.ModelFacts facts) {}

  private final Path root;
  private final Map<Path, Entry> byPath = new LinkedHashMap<>();
  private final Map<String, Entry> byId = new LinkedHashMap<>();

  /** @param root the runs folder, or null for none */
  PriorCatalog(Path root) {
    this.root = root;
  }

  synchronized List<Entry> list() {
    if (root == null) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      for (Path file : children.map(d -> d.resolve("prior.safetensors")).filter(Files::isRegularFile).sorted().toList()) {
        if (!byPath.containsKey(file)) {
          facts(file).ifPresent(facts -> {
            Entry e = new Entry("p" + (byId.size() + 1), file.getParent().getFileName().toString(), file, facts);
            byPath.put(file, e);
            byId.put(e.id(), e);
          });
        }
      }
    } catch (IOException e) {
      // An unreadable runs folder offers no prior.
    }
    return new ArrayList<>(byId.values());
  }

  /** The priors trained for a model like {@code model} (rate, channels, ratio, latent size). */
  List<Entry> fitting(RaveModel model) {
    PriorFile.ModelFacts facts = PriorFile.ModelFacts.of(model);
    return list().stream().filter(e -> e.facts().equals(facts)).toList();
  }

  synchronized Optional<Entry> find(String id) {
    if (!byId.containsKey(id)) {
      list();
    }
    return Optional.ofNullable(byId.get(id));
  }

  /** A prior still being written, or not a prior at all, is left out (and looked at again next time). */
  private static Optional<PriorFile.ModelFacts> facts(Path file) {
    try {
      PriorFile.Loaded loaded = PriorFile.load(file);
      try (PriorNetwork ignored = loaded.network()) {
        return Optional.of(loaded.facts());
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
