package org.jrave.model.config.gin;

/**
 * One parameter binding {@code scope/configurable.parameter = value} as written in a file.
 *
 * @param scope the scope path ({@code a/b} for nested scopes), empty when unscoped
 * @param configurable the configurable as written, e.g. {@code blocks.EncoderV2}
 * @param parameter the parameter name
 * @param value the raw value: macro references are still {@link GinMacro}s
 * @param source where it was defined (file name or {@code <string>})
 * @param line the 1-based line of the binding in {@code source}
 */
public record GinBinding(String scope, String configurable, String parameter, Object value, String source, int line) {

  public GinBinding {
    scope = scope == null ? "" : scope;
  }

  /** The full key, e.g. {@code variational/blocks.EncoderV2.n_out}. */
  public String key() {
    return (scope.isEmpty() ? "" : scope + "/") + configurable + "." + parameter;
  }

  /** {@code source:line}, for messages. */
  public String location() {
    return source + ":" + line;
  }

  @Override
  public String toString() {
    return key() + " = " + GinConfig.format(value);
  }
}
