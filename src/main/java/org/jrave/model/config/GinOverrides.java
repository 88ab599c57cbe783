package org.jrave.model.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jrave.model.config.gin.GinBinding;
import org.jrave.model.config.gin.GinConfig;
import org.jrave.model.config.gin.GinException;
import org.jrave.model.config.gin.GinMacro;
import org.jrave.model.config.gin.GinTuple;

/**
 * Gin definitions a user gives (a gin file's own, or {@code --override NAME=value}) applied to a
 * configuration the way gin applies a later file: the configuration is written as gin
 * ({@link PresetGin}), the user's macros and bindings go after it, and the result is read back.
 *
 * <p>Only what jrave reads may be set, so that every accepted name changes the model: a macro of
 * the configuration's gin (or one the user's own bindings use), or a binding of it. A binding is
 * matched by its configurable's last name and its parameter, so {@code blocks.EncoderV2.capacity},
 * {@code EncoderV2.capacity} and the reference's scoped {@code variational/blocks.EncoderV2.capacity}
 * all set the one encoder jrave builds (its model has one instance of each configurable, so scopes
 * have nothing to tell apart).
 */
public final class GinOverrides {
  private GinOverrides() {}

  /**
   * Gin definitions and where they come from.
   *
   * @param definitions macros and bindings, e.g. a gin file's own or one {@code --override}
   * @param origin for messages, e.g. {@code gin file my.gin}; definitions parsed under this very name
   *     (a one-line {@code --override NAME=value}) are cited without their line number
   */
  public record Source(GinConfig definitions, String origin) {}

  /** {@code config} with one source's definitions applied (see {@link #apply(RaveConfig, List)}). */
  public static RaveConfig apply(RaveConfig config, GinConfig definitions, String origin) {
    return apply(config, List.of(new Source(definitions, origin)));
  }

  /**
   * {@code config} with the sources' definitions applied in order, as gin files parsed one after
   * the other: a later definition replaces an earlier one, and a macro changes the bindings that
   * refer to it unless a source bound them itself.
   *
   * @throws IllegalArgumentException naming an unknown macro or binding (with the close names), a
   *     value of the wrong type, or a combination the model cannot be built from
   */
  public static RaveConfig apply(RaveConfig config, List<Source> sources) {
    if (sources.isEmpty()) {
      return config;
    }
    GinConfig preset = PresetGin.of(config);
    Set<String> helperMacros = new HashSet<>();
    sources.forEach(s -> helperMacros.addAll(macrosUsedBy(s.definitions())));
    GinConfig merged = preset;
    Map<String, String> macroOrigins = new HashMap<>();
    Map<String, Located> userBindings = new LinkedHashMap<>();
    for (Source source : sources) {
      for (String macro : source.definitions().macros().keySet()) {
        if (!preset.hasMacro(macro) && !helperMacros.contains(macro)) {
          throw new IllegalArgumentException(source.origin() + ": jrave does not use the macro " + macro + hint(
              CloseNames.to(macro, preset.macros().keySet()), "the macros of " + config.name() + ": "
              + String.join(", ", preset.macros().keySet())));
        }
        macroOrigins.put(macro, source.origin());
      }
      List<GinBinding> bindings = new ArrayList<>();
      for (GinBinding b : source.definitions().bindings()) {
        Located user = locate(preset, b, source.origin());
        bindings.add(user.binding());
        userBindings.put(user.binding().key(), user);
      }
      merged = merged.merge(GinConfig.of(source.definitions().macros(), bindings));
    }
    checkTypes(preset, merged, macroOrigins, userBindings.values());
    return build(merged, config, sources.stream().map(Source::origin).distinct().collect(Collectors.joining(", ")));
  }

  /** {@code b} as the binding of the configuration's gin it sets, or an error naming the close ones. */
  private static Located locate(GinConfig preset, GinBinding b, String origin) {
    GinBinding known = matching(preset, b).orElseThrow(() -> new IllegalArgumentException(where(b, origin)
        + ": jrave does not read " + b.key() + hint(CloseNames.to(shortKey(b),
        preset.bindings().stream().map(GinOverrides::shortKey).toList()), "the bindings it reads are those of "
        + "config.gin's model, encoder, decoder, PQMF, padding and training sections; see docs/training.md")));
    return new Located(new GinBinding("", known.configurable(), known.parameter(), b.value(), b.source(), b.line()),
        where(b, origin));
  }

  /** Every value the user set, as finally resolved, against the type the configuration's gin has there. */
  private static void checkTypes(GinConfig preset, GinConfig merged, Map<String, String> macroOrigins,
      Iterable<Located> userBindings) {
    try {
      macroOrigins.forEach((macro, origin) -> {
        if (preset.hasMacro(macro)) {
          GinValueChecks.checkType(macro + " (" + origin + ")", preset.macro(macro), merged.macro(macro));
        }
      });
      for (Located user : userBindings) {
        GinBinding b = user.binding();
        String what = b.key() + " (" + user.where() + ")";
        Object expected = preset.get(b.configurable(), b.parameter());
        Object given = merged.get(b.configurable(), b.parameter());
        GinValueChecks.checkType(what, expected, given);
        GinValueChecks.checkReference(what, b.parameter(), expected, given);
      }
    } catch (GinException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The configuration the merged gin describes, or what keeps the model from being built and where it came from. */
  private static RaveConfig build(GinConfig merged, RaveConfig config, String origin) {
    try {
      RaveConfig result = PresetGin.restore(merged, config);
      ConfigConsistency.check(result);
      return result;
    } catch (GinException | IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
    }
  }

  /** A user's binding, under the key it sets, and where it was written. */
  private record Located(GinBinding binding, String where) {}

  /** The binding of the configuration's gin that {@code b} sets: same parameter, same configurable's last name. */
  private static Optional<GinBinding> matching(GinConfig preset, GinBinding b) {
    return preset.bindings().stream()
        .filter(k -> k.parameter().equals(b.parameter()) && lastName(k.configurable()).equals(lastName(b.configurable())))
        .findFirst();
  }

  /** file:line for a file's binding; just the origin for a one-line source parsed under that name (an --override). */
  private static String where(GinBinding b, String origin) {
    return b.source().equals(origin) ? origin : b.location();
  }

  private static String lastName(String configurable) {
    return configurable.substring(configurable.lastIndexOf('.') + 1);
  }

  private static String shortKey(GinBinding b) {
    return lastName(b.configurable()) + "." + b.parameter();
  }

  private static String hint(List<String> close, String otherwise) {
    return close.isEmpty() ? "; " + otherwise : "; did you mean " + String.join(" or ", close) + "?";
  }

  /** The macros that the user's own definitions refer to (their helper macros are allowed). */
  private static Set<String> macrosUsedBy(GinConfig user) {
    Set<String> used = new HashSet<>();
    user.bindings().forEach(b -> collectMacros(b.value(), used));
    user.macros().values().forEach(v -> collectMacros(v, used));
    return used;
  }

  private static void collectMacros(Object value, Set<String> into) {
    switch (value) {
      case GinMacro m -> into.add(m.name());
      case List<?> list -> list.forEach(v -> collectMacros(v, into));
      case GinTuple t -> t.items().forEach(v -> collectMacros(v, into));
      case Map<?, ?> map -> map.forEach((k, v) -> {
        collectMacros(k, into);
        collectMacros(v, into);
      });
      case null, default -> { }
    }
  }
}
