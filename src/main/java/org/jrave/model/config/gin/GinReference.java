package org.jrave.model.config.gin;

/**
 * A reference to a configurable: {@code @module.Name} (the callable itself, instantiated by the
 * consumer) or {@code @module.Name()} (evaluated: the result of calling it), optionally scoped as
 * in {@code @periods/discriminator.ConvNet}.
 *
 * @param name the configurable name as written, e.g. {@code discriminator.ConvNet}
 * @param scope the scope path, e.g. {@code periods}, or the empty string when unscoped
 * @param evaluated true for the {@code ()} form
 */
public record GinReference(String name, String scope, boolean evaluated) {

  public GinReference {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("empty reference name");
    }
    scope = scope == null ? "" : scope;
  }

  /** The last dotted component of the name, e.g. {@code ConvNet}. */
  public String shortName() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** {@code scope/name}, or just the name when unscoped. */
  public String scopedName() {
    return scope.isEmpty() ? name : scope + "/" + name;
  }

  /** True if this refers to {@code configurable} written with or without its module path. */
  public boolean refersTo(String configurable) {
    return GinConfig.selectorsMatch(name, configurable);
  }

  @Override
  public String toString() {
    return "@" + scopedName() + (evaluated ? "()" : "");
  }
}
