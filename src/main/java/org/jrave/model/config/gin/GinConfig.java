package org.jrave.model.config.gin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable gin configuration, such as the {@code config.gin} "operative config" that RAVE
 * writes into a run folder.
 *
 * <p>Values are plain Java objects: {@link Long}, {@link Double}, {@link String}, {@link Boolean},
 * {@code null} (None), unmodifiable {@link List}s, {@link GinTuple}s, unmodifiable {@link Map}s,
 * {@link GinReference}s, and — only in the raw values of {@link #macros()} and {@link #bindings()}
 * — {@link GinMacro}s. Lookups resolve macros lazily against the final macro table, recursively,
 * so a later macro redefinition changes every binding that refers to it.
 *
 * <p>Lookup rules follow gin: later bindings override earlier ones; a query
 * {@code a/b/module.Name} sees bindings in scopes {@code ""}, {@code a} and {@code a/b}, the most
 * specific scope winning; a configurable may be named with or without its module path
 * ({@code EncoderV2} finds {@code blocks.EncoderV2}), unless that short name is ambiguous.
 */
public final class GinConfig {

  private static final GinConfig EMPTY = new GinConfig(Map.of(), List.of());

  private final Map<String, Object> macros;
  private final List<GinBinding> bindings;

  private GinConfig(Map<String, Object> macros, List<GinBinding> bindings) {
    this.macros = Collections.unmodifiableMap(new LinkedHashMap<>(macros));
    this.bindings = List.copyOf(bindings);
  }

  public static GinConfig empty() {
    return EMPTY;
  }

  /** Parses gin text; {@code include}s resolve against the current directory. */
  public static GinConfig parse(String text) {
    return parse(text, "<string>", Path.of(""));
  }

  /** Parses gin text named {@code sourceName} in messages; {@code include}s resolve against {@code baseDir}. */
  public static GinConfig parse(String text, String sourceName, Path baseDir) {
    GinParser.Definitions defs = new GinParser.Definitions();
    GinParser.parse(text, sourceName, baseDir.toAbsolutePath(), defs, new HashSet<>(), GinIncludes.FILES);
    return new GinConfig(defs.macros, defs.bindings);
  }

  /** Reads a gin file; {@code include}s resolve relative to the including file. */
  public static GinConfig load(Path file) throws IOException {
    return load(file, GinIncludes.FILES);
  }

  /** Reads a gin file whose {@code include}s {@code includes} resolves. */
  public static GinConfig load(Path file, GinIncludes includes) throws IOException {
    GinParser.Definitions defs = new GinParser.Definitions();
    GinParser.parseFile(file, defs, new HashSet<>(), includes);
    return new GinConfig(defs.macros, defs.bindings);
  }

  /** A configuration of the given definitions, as if written in this order (a later key replaces an earlier one). */
  public static GinConfig of(Map<String, Object> macros, List<GinBinding> bindings) {
    GinParser.Definitions defs = new GinParser.Definitions();
    macros.forEach(defs::macro);
    bindings.forEach(defs::bind);
    return new GinConfig(defs.macros, defs.bindings);
  }

  /**
   * This configuration followed by {@code later}, as if its text came after this one's: its
   * bindings and macros override ours (e.g. {@code --config v2 --config causal}).
   */
  public GinConfig merge(GinConfig later) {
    GinParser.Definitions defs = new GinParser.Definitions();
    macros.forEach(defs::macro);
    bindings.forEach(defs::bind);
    later.macros.forEach(defs::macro);
    later.bindings.forEach(defs::bind);
    return new GinConfig(defs.macros, defs.bindings);
  }

  /** Macro definitions as written (values may contain {@link GinMacro}s), in definition order. */
  public Map<String, Object> macros() {
    return macros;
  }

  /** The effective bindings, oldest first; a binding overridden by a later one with the same key is gone. */
  public List<GinBinding> bindings() {
    return bindings;
  }

  public boolean hasMacro(String name) {
    return macros.containsKey(name);
  }

  /** The resolved value of macro {@code name}. */
  public Object macro(String name) {
    if (!macros.containsKey(name)) {
      throw new GinException("undefined macro %" + name);
    }
    return resolve(new GinMacro(name), "macro " + name, new LinkedHashSet<>());
  }

  /** True if a binding applies to {@code configurable.param} (see the class comment for the rules). */
  public boolean has(String configurable, String param) {
    return binding(configurable, param).isPresent();
  }

  /** True if {@code key} names a defined macro ({@code NAME}) or a bound parameter ({@code configurable.param}). */
  public boolean has(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? hasMacro(key) : has(key.substring(0, dot), key.substring(dot + 1));
  }

  /**
   * The binding that applies to {@code param} of {@code configurable} (optionally scoped,
   * {@code scope/module.Name}): the most specific scope wins, then the latest binding.
   */
  public Optional<GinBinding> binding(String configurable, String param) {
    int slash = configurable.lastIndexOf('/');
    String scope = slash < 0 ? "" : configurable.substring(0, slash);
    String name = configurable.substring(slash + 1);
    checkUnambiguous(name);
    GinBinding best = null;
    int bestDepth = -1;
    for (GinBinding b : bindings) { // oldest first, so ">=" keeps the latest on ties
      if (!b.parameter().equals(param) || !selectorsMatch(b.configurable(), name)) {
        continue;
      }
      int depth = scopeDepth(b.scope(), scope);
      if (depth >= 0 && depth >= bestDepth) {
        best = b;
        bestDepth = depth;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The resolved value bound to {@code configurable.param}; {@code null} for None. */
  public Object get(String configurable, String param) {
    GinBinding b = require(configurable, param);
    return resolve(b.value(), describe(b), new LinkedHashSet<>());
  }

  /** The resolved value of a macro ({@code NAME}) or binding ({@code scope/configurable.param}). */
  public Object get(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? macro(key) : get(key.substring(0, dot), key.substring(dot + 1));
  }

  public boolean isNone(String configurable, String param) {
    return get(configurable, param) == null;
  }

  public int getInt(String configurable, String param) {
    return asInt(get(configurable, param), what(configurable, param));
  }

  public int getInt(String key) {
    return asInt(get(key), key);
  }

  public long getLong(String configurable, String param) {
    return asLong(get(configurable, param), what(configurable, param));
  }

  public double getDouble(String configurable, String param) {
    return asDouble(get(configurable, param), what(configurable, param));
  }

  public double getDouble(String key) {
    return asDouble(get(key), key);
  }

  public boolean getBoolean(String configurable, String param) {
    return asBoolean(get(configurable, param), what(configurable, param));
  }

  public boolean getBoolean(String key) {
    return asBoolean(get(key), key);
  }

  public String getString(String configurable, String param) {
    return asString(get(configurable, param), what(configurable, param));
  }

  public String getString(String key) {
    return asString(get(key), key);
  }

  /** A list or tuple of ints. */
  public List<Integer> getIntList(String configurable, String param) {
    return asIntList(get(configurable, param), what(configurable, param));
  }

  public List<Integer> getIntList(String key) {
    return asIntList(get(key), key);
  }

  /** A list (or tuple) of lists (or tuples) of ints, e.g. {@code DILATIONS}. */
  public List<List<Integer>> getNestedIntList(String configurable, String param) {
    return asNestedIntList(get(configurable, param), what(configurable, param));
  }

  public List<List<Integer>> getNestedIntList(String key) {
    return asNestedIntList(get(key), key);
  }

  /** The elements of a list or tuple value. */
  public List<Object> getList(String configurable, String param) {
    return asList(get(configurable, param), what(configurable, param));
  }

  @SuppressWarnings("unchecked")
  public Map<Object, Object> getMap(String configurable, String param) {
    Object v = get(configurable, param);
    if (v instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw wrongType(what(configurable, param), "a dict", v);
  }

  public GinReference getReference(String configurable, String param) {
    Object v = get(configurable, param);
    if (v instanceof GinReference r) {
      return r;
    }
    throw wrongType(what(configurable, param), "a reference (@name)", v);
  }

  public GinReference getReference(String key) {
    Object v = get(key);
    if (v instanceof GinReference r) {
      return r;
    }
    throw wrongType(key, "a reference (@name)", v);
  }

  /** The reference bound to {@code configurable.param}; empty if unbound or None. */
  public Optional<GinReference> findReference(String configurable, String param) {
    if (!has(configurable, param) || isNone(configurable, param)) {
      return Optional.empty();
    }
    return Optional.of(getReference(configurable, param));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    macros.forEach((k, v) -> sb.append(k).append(" = ").append(format(v)).append('\n'));
    bindings.forEach(b -> sb.append(b).append('\n'));
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------

  /** True if two configurable names denote the same one: equal, or one is a dotted suffix of the other. */
  static boolean selectorsMatch(String a, String b) {
    return a.equals(b) || a.endsWith("." + b) || b.endsWith("." + a);
  }

  /**
   * How specific binding scope {@code bindingScope} is for a query in {@code queryScope}: its
   * number of components if it is a prefix of the query scope (so it applies), else -1.
   */
  private static int scopeDepth(String bindingScope, String queryScope) {
    if (bindingScope.isEmpty()) {
      return 0;
    }
    if (queryScope.equals(bindingScope) || queryScope.startsWith(bindingScope + "/")) {
      return bindingScope.split("/").length;
    }
    return -1;
  }

  /** A short name must not match two configurables that are different (neither a suffix of the other). */
  private void checkUnambiguous(String name) {
    Set<String> matches = new LinkedHashSet<>();
    for (GinBinding b : bindings) {
      if (selectorsMatch(b.configurable(), name)) {
        matches.add(b.configurable());
      }
    }
    List<String> list = new ArrayList<>(matches);
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        if (!selectorsMatch(list.get(i), list.get(j))) {
          throw new GinException("ambiguous configurable name '" + name + "': matches " + list.get(i)
              + " and " + list.get(j));
        }
      }
    }
  }

  private GinBinding require(String configurable, String param) {
    return binding(configurable, param).orElseThrow(() -> {
      // Scoped bindings do not apply outside their scope; say where the parameter is bound instead.
      String name = configurable.substring(configurable.lastIndexOf('/') + 1);
      Set<String> scopes = new LinkedHashSet<>();
      for (GinBinding b : bindings) {
        if (b.parameter().equals(param) && selectorsMatch(b.configurable(), name)) {
          scopes.add(b.scope().isEmpty() ? "(unscoped)" : b.scope());
        }
      }
      return new GinException("no binding for " + configurable + "." + param
          + (scopes.isEmpty() ? "" : " (bound only in scopes: " + String.join(", ", scopes) + ")"));
    });
  }

  /** The scopes in which {@code configurable} (any module spelling) has bindings; "" for unscoped. */
  public Set<String> scopesOf(String configurable) {
    Set<String> scopes = new LinkedHashSet<>();
    for (GinBinding b : bindings) {
      if (selectorsMatch(b.configurable(), configurable)) {
        scopes.add(b.scope());
      }
    }
    return Collections.unmodifiableSet(scopes);
  }

  private Object resolve(Object value, String context, Set<String> expanding) {
    if (value instanceof GinMacro m) {
      if (!macros.containsKey(m.name())) {
        throw new GinException(context + ": undefined macro %" + m.name());
      }
      if (!expanding.add(m.name())) {
        throw new GinException(context + ": macro cycle " + String.join(" -> ", expanding) + " -> " + m.name());
      }
      Object v = resolve(macros.get(m.name()), context, expanding);
      expanding.remove(m.name());
      return v;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(resolve(o, context, expanding));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof GinTuple t) {
      List<Object> out = new ArrayList<>(t.size());
      for (Object o : t.items()) {
        out.add(resolve(o, context, expanding));
      }
      return new GinTuple(out);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(resolve(k, context, expanding), resolve(v, context, expanding)));
      return Collections.unmodifiableMap(out);
    }
    return value;
  }

  private static String describe(GinBinding b) {
    return b.key() + " (" + b.location() + ")";
  }

  private String what(String configurable, String param) {
    return binding(configurable, param).map(GinConfig::describe).orElse(configurable + "." + param);
  }

  private static long asLong(Object v, String what) {
    if (v instanceof Long l) {
      return l;
    }
    throw wrongType(what, "an int", v);
  }

  private static int asInt(Object v, String what) {
    long l = asLong(v, what);
    if (l != (int) l) {
      throw new GinException(what + ": " + l + " does not fit in a 32-bit int");
    }
    return (int) l;
  }

  private static double asDouble(Object v, String what) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    throw wrongType(what, "a number", v);
  }

  private static boolean asBoolean(Object v, String what) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(what, "True or False", v);
  }

  private static String asString(Object v, String what) {
    if (v instanceof String s) {
      return s;
    }
    throw wrongType(what, "a string", v);
  }

  private static List<Object> asList(Object v, String what) {
    if (v instanceof List<?> l) {
      return Collections.unmodifiableList(l);
    }
    if (v instanceof GinTuple t) {
      return t.items();
    }
    throw wrongType(what, "a list or tuple", v);
  }

  private static List<Integer> asIntList(Object v, String what) {
    List<Object> items = asList(v, what);
    List<Integer> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object o = items.get(i);
      if (!(o instanceof Long)) {
        throw wrongType(what, "a list of ints", v);
      }
      out.add(asInt(o, what + "[" + i + "]"));
    }
    return List.copyOf(out);
  }

  private static List<List<Integer>> asNestedIntList(Object v, String what) {
    List<Object> items = asList(v, what);
    List<List<Integer>> out = new ArrayList<>(items.size());
    for (Object o : items) {
      if (!(o instanceof List<?>) && !(o instanceof GinTuple)) {
        throw wrongType(what, "a list of lists of ints", v);
      }
      out.add(asIntList(o, what));
    }
    return List.copyOf(out);
  }

  private static GinException wrongType(String what, String expected, Object found) {
    return new GinException(what + ": expected " + expected + ", found " + typeName(found) + " " + format(found));
  }

  /** The Python name of a value's type (int, float, string, list, ...), for messages. */
  public static String typeName(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Double) {
      return "float";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof List<?>) {
      return "list";
    }
    if (v instanceof GinTuple) {
      return "tuple";
    }
    if (v instanceof Map<?, ?>) {
      return "dict";
    }
    if (v instanceof GinReference) {
      return "reference";
    }
    return v.getClass().getSimpleName();
  }

  /** Python-like rendering of a value, for messages and {@link #toString()}. */
  public static String format(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }
    if (v instanceof List<?> l) {
      return l.stream().map(GinConfig::format).collect(Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(e -> format(e.getKey()) + ": " + format(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(v);
  }
}
