package org.jrave.model.blocks;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;

/**
 * Modules named {@code 0, 1, 2, ...} without any forward of their own (PyTorch's
 * {@code nn.ModuleList}), so that state-dict keys keep the reference's indices.
 */
public final class ModuleList<M extends Module> extends Module {
  private final List<M> items = new ArrayList<>();

  public M add(M module) {
    addChild(Integer.toString(items.size()), module);
    items.add(module);
    return module;
  }

  public M get(int index) {
    return items.get(index);
  }

  public int size() {
    return items.size();
  }

  public List<M> items() {
    return List.copyOf(items);
  }
}
