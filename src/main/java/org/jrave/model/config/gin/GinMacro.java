package org.jrave.model.config.gin;

/**
 * An unresolved macro reference {@code %NAME} inside a stored value; {@link GinConfig} lookups
 * replace it by the macro's (final) value.
 *
 * @param name the macro name
 */
public record GinMacro(String name) {

  @Override
  public String toString() {
    return "%" + name;
  }
}
