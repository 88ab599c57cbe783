package org.jrave.model.config.gin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Python tuple value such as {@code (5, 1)} or {@code (3,)}; lists are plain {@link List}s, so the
 * two stay distinguishable. Elements may be null (Python {@code None}).
 *
 * @param items the elements, unmodifiable
 */
public record GinTuple(List<Object> items) {

  public GinTuple {
    items = Collections.unmodifiableList(new ArrayList<>(items));
  }

  public static GinTuple of(Object... items) {
    List<Object> list = new ArrayList<>(items.length);
    Collections.addAll(list, items);
    return new GinTuple(list);
  }

  public int size() {
    return items.size();
  }

  public Object get(int index) {
    return items.get(index);
  }

  @Override
  public String toString() {
    if (items.size() == 1) {
      return "(" + GinConfig.format(items.get(0)) + ",)";
    }
    return items.stream().map(GinConfig::format).collect(Collectors.joining(", ", "(", ")"));
  }
}
