package org.jrave.model.config.gin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tokenizer and recursive-descent parser for gin files. Written from the syntax description
 * (RAVE spec §10.3): statements are import lines (ignored), {@code include 'file'}, macros
 * {@code NAME = value} and bindings {@code scope/module.Name.param = value}; values are Python
 * literals plus {@code %MACRO} and {@code @ref} / {@code @ref()}.
 */
final class GinParser {

  private enum Type { NAME, INT, FLOAT, STRING, PUNCT, NEWLINE, EOF }

  private record Token(Type type, String text, Object value, int line, int col) {
    boolean is(String punct) {
      return type == Type.PUNCT && text.equals(punct);
    }

    String describe() {
      return switch (type) {
        case NEWLINE -> "end of line";
        case EOF -> "end of file";
        case STRING -> "string " + GinConfig.format(value);
        default -> "'" + text + "'";
      };
    }
  }

  /** Mutable accumulator shared by a file and the files it includes. */
  static final class Definitions {
    final Map<String, Object> macros = new LinkedHashMap<>();
    final List<GinBinding> bindings = new ArrayList<>();

    void macro(String name, Object value) {
      macros.remove(name); // re-insert so iteration order reflects the final definition
      macros.put(name, value);
    }

    void bind(GinBinding b) {
      // Same key: the later binding replaces the earlier one and moves to the end (most recent).
      bindings.removeIf(old -> old.key().equals(b.key()));
      bindings.add(b);
    }
  }

  private final String source;
  private final Path baseDir;
  private final Definitions into;
  private final Set<Path> includeStack;
  private final GinIncludes includes;
  private final List<Token> tokens;
  private int pos;

  private GinParser(String text, String source, Path baseDir, Definitions into, Set<Path> includeStack,
      GinIncludes includes) {
    this.source = source;
    this.baseDir = baseDir;
    this.into = into;
    this.includeStack = includeStack;
    this.includes = includes;
    this.tokens = new Lexer(text, source).tokenize();
  }

  /** Parses {@code text} into {@code into}; includes resolve against {@code baseDir}. */
  static void parse(String text, String source, Path baseDir, Definitions into, Set<Path> includeStack,
      GinIncludes includes) {
    new GinParser(text, source, baseDir, into, includeStack, includes).statements();
  }

  /** Parses a file (and its includes) into {@code into}. */
  static void parseFile(Path file, Definitions into, Set<Path> includeStack, GinIncludes includes) throws IOException {
    Path real = file.toRealPath();
    if (!includeStack.add(real)) {
      throw new GinException(file + ": include cycle");
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Path dir = real.getParent();
      parse(text, file.toString(), dir, into, includeStack, includes);
    } finally {
      includeStack.remove(real);
    }
  }

  private void statements() {
    while (true) {
      Token t = next();
      switch (t.type()) {
        case EOF -> {
          return;
        }
        case NEWLINE -> {
        }
        case NAME -> statement(t);
        default -> throw error(t, "expected a binding, found " + t.describe());
      }
    }
  }

  private void statement(Token first) {
    String word = first.text();
    if (!peek().is("=")) {
      if (word.equals("import") || word.equals("from")) {
        // Import lines only register modules with gin; names are matched as written.
        while (peek().type() != Type.NEWLINE && peek().type() != Type.EOF) {
          next();
        }
        return;
      }
      if (word.equals("include")) {
        Token file = next();
        if (file.type() != Type.STRING) {
          throw error(file, "expected a quoted file name after include, found " + file.describe());
        }
        endOfStatement();
        include(file);
        return;
      }
      throw error(peek(), "expected '=' after '" + word + "', found " + peek().describe());
    }
    next(); // '='
    Object value = value();
    endOfStatement();
    String key = word;
    int slash = key.lastIndexOf('/');
    String scope = slash < 0 ? "" : key.substring(0, slash);
    String rest = key.substring(slash + 1);
    int dot = rest.lastIndexOf('.');
    if (dot < 0) {
      if (!scope.isEmpty()) {
        throw error(first, "'" + key + "' is neither a macro (NAME) nor a binding (scope/configurable.param)");
      }
      into.macro(key, value);
    } else {
      into.bind(new GinBinding(scope, rest.substring(0, dot), rest.substring(dot + 1), value, source,
          first.line()));
    }
  }

  private void include(Token fileToken) {
    String name = (String) fileToken.value();
    Optional<Path> resolved;
    try {
      resolved = includes.resolve(name, baseDir);
    } catch (GinException e) {
      throw error(fileToken, e.getMessage());
    }
    if (resolved.isEmpty()) {
      return;
    }
    Path file = resolved.get();
    try {
      parseFile(file, into, includeStack, includes);
    } catch (NoSuchFileException e) {
      throw error(fileToken, "included file '" + name + "' not found (" + file + ")");
    } catch (IOException e) {
      throw new GinException(location(fileToken) + ": cannot read included file '" + name + "': " + e, e);
    }
  }

  private void endOfStatement() {
    Token t = next();
    if (t.type() != Type.NEWLINE && t.type() != Type.EOF) {
      throw error(t, "unexpected " + t.describe() + " after the value");
    }
  }

  private Object value() {
    Token t = next();
    switch (t.type()) {
      case INT, FLOAT -> {
        return t.value();
      }
      case STRING -> {
        // Adjacent literals concatenate, as in Python.
        StringBuilder sb = new StringBuilder((String) t.value());
        while (peek().type() == Type.STRING) {
          sb.append((String) next().value());
        }
        return sb.toString();
      }
      case NAME -> {
        return switch (t.text()) {
          case "True" -> Boolean.TRUE;
          case "False" -> Boolean.FALSE;
          case "None" -> null;
          default -> throw error(t, "unexpected name '" + t.text() + "' (a reference needs '@', a macro '%')");
        };
      }
      case PUNCT -> {
        switch (t.text()) {
          case "-", "+" -> {
            Token n = next();
            if (n.type() == Type.INT) {
              return t.text().equals("-") ? Math.negateExact((Long) n.value()) : n.value();
            }
            if (n.type() == Type.FLOAT) {
              return t.text().equals("-") ? -(Double) n.value() : n.value();
            }
            throw error(n, "expected a number after '" + t.text() + "', found " + n.describe());
          }
          case "%" -> {
            return new GinMacro(name("a macro name after '%'"));
          }
          case "@" -> {
            String ref = name("a configurable name after '@'");
            boolean evaluated = false;
            if (peek().is("(")) {
              next();
              Token close = next();
              if (!close.is(")")) {
                throw error(close, "evaluated references take no arguments: expected ')', found " + close.describe());
              }
              evaluated = true;
            }
            int slash = ref.lastIndexOf('/');
            return new GinReference(ref.substring(slash + 1), slash < 0 ? "" : ref.substring(0, slash), evaluated);
          }
          case "[" -> {
            return Collections.unmodifiableList(items("]"));
          }
          case "(" -> {
            if (peek().is(")")) {
              next();
              return new GinTuple(List.of());
            }
            Object first = value();
            if (peek().is(")")) {
              next();
              return first; // parenthesised value, not a tuple
            }
            expect(",");
            List<Object> rest = items(")");
            rest.add(0, first);
            return new GinTuple(rest);
          }
          case "{" -> {
            return dict();
          }
          default -> {
            // fall through to the error below
          }
        }
      }
      default -> {
      }
    }
    throw error(t, "expected a value, found " + t.describe());
  }

  /** Comma-separated values up to {@code close}, trailing comma allowed. */
  private List<Object> items(String close) {
    List<Object> list = new ArrayList<>();
    while (true) {
      if (peek().is(close)) {
        next();
        return list;
      }
      list.add(value());
      Token t = next();
      if (t.is(close)) {
        return list;
      }
      if (!t.is(",")) {
        throw error(t, "expected ',' or '" + close + "', found " + t.describe());
      }
    }
  }

  private Map<Object, Object> dict() {
    Map<Object, Object> map = new LinkedHashMap<>();
    while (true) {
      if (peek().is("}")) {
        next();
        return Collections.unmodifiableMap(map);
      }
      Token keyToken = peek();
      Object key = value();
      if (key instanceof List<?> || key instanceof Map<?, ?>) {
        throw error(keyToken, "unhashable dict key " + GinConfig.format(key));
      }
      expect(":");
      map.put(key, value());
      Token t = next();
      if (t.is("}")) {
        return Collections.unmodifiableMap(map);
      }
      if (!t.is(",")) {
        throw error(t, "expected ',' or '}', found " + t.describe());
      }
    }
  }

  private String name(String what) {
    Token t = next();
    if (t.type() != Type.NAME) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
    return t.text();
  }

  private void expect(String punct) {
    Token t = next();
    if (!t.is(punct)) {
      throw error(t, "expected '" + punct + "', found " + t.describe());
    }
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.type() != Type.EOF) {
      pos++;
    }
    return t;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private String location(Token t) {
    return source + ":" + t.line() + ":" + t.col();
  }

  private GinException error(Token t, String message) {
    return new GinException(location(t) + ": " + message);
  }

  /** Splits text into tokens; NEWLINE ends a logical line (not inside brackets or after '\'). */
  private static final class Lexer {
    private final String s;
    private final String source;
    private final List<Token> out = new ArrayList<>();
    private final List<Token> open = new ArrayList<>();
    private int i;
    private int line = 1;
    private int lineStart;

    Lexer(String s, String source) {
      this.s = s;
      this.source = source;
    }

    List<Token> tokenize() {
      while (i < s.length()) {
        char c = s.charAt(i);
        int col = i - lineStart + 1;
        if (c == '\n') {
          if (open.isEmpty()) {
            newline();
          }
          i++;
          line++;
          lineStart = i;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
          i++;
        } else if (c == '#') {
          while (i < s.length() && s.charAt(i) != '\n') {
            i++;
          }
        } else if (c == '\\') {
          int j = i + 1;
          if (j < s.length() && s.charAt(j) == '\r') {
            j++;
          }
          if (j >= s.length() || s.charAt(j) != '\n') {
            throw error(col, "'\\' must end the line (line continuation)");
          }
          i = j + 1;
          line++;
          lineStart = i;
        } else if (isQuoteStart()) {
          string(col);
        } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
          number(col);
        } else if (Character.isLetter(c) || c == '_') {
          name(col);
        } else if ("[({".indexOf(c) >= 0) {
          Token t = punct(String.valueOf(c), col);
          open.add(t);
        } else if ("])}".indexOf(c) >= 0) {
          if (open.isEmpty()) {
            throw error(col, "unbalanced '" + c + "'");
          }
          Token o = open.remove(open.size() - 1);
          char expected = switch (o.text().charAt(0)) {
            case '[' -> ']';
            case '(' -> ')';
            default -> '}';
          };
          if (c != expected) {
            throw error(col, "'" + c + "' does not match '" + o.text() + "' opened at line " + o.line());
          }
          punct(String.valueOf(c), col);
        } else if ("=,:%@-+".indexOf(c) >= 0) {
          punct(String.valueOf(c), col);
        } else {
          throw error(col, "unexpected character '" + c + "'");
        }
      }
      if (!open.isEmpty()) {
        Token o = open.get(open.size() - 1);
        throw new GinException(source + ":" + o.line() + ":" + o.col() + ": '" + o.text() + "' is never closed");
      }
      newline();
      out.add(new Token(Type.EOF, "", null, line, i - lineStart + 1));
      return out;
    }

    private void newline() {
      if (!out.isEmpty() && out.get(out.size() - 1).type() != Type.NEWLINE) {
        out.add(new Token(Type.NEWLINE, "\n", null, line, i - lineStart + 1));
      }
    }

    private Token punct(String text, int col) {
      Token t = new Token(Type.PUNCT, text, null, line, col);
      out.add(t);
      i++;
      return t;
    }

    private boolean isQuoteStart() {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        return true;
      }
      // String prefixes r/u (raw, unicode no-op); b and f strings are not config literals.
      return (c == 'r' || c == 'R' || c == 'u' || c == 'U')
          && i + 1 < s.length() && (s.charAt(i + 1) == '\'' || s.charAt(i + 1) == '"');
    }

    private void string(int col) {
      int startLine = line;
      boolean raw = false;
      char c = s.charAt(i);
      if (c != '\'' && c != '"') {
        raw = c == 'r' || c == 'R';
        i++;
      }
      char q = s.charAt(i);
      boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
      i += triple ? 3 : 1;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new GinException(source + ":" + startLine + ":" + col + ": unterminated string");
        }
        char ch = s.charAt(i);
        if (ch == q && (!triple || s.startsWith(String.valueOf(q).repeat(3), i))) {
          i += triple ? 3 : 1;
          break;
        }
        if (ch == '\n') {
          if (!triple) {
            throw new GinException(source + ":" + startLine + ":" + col + ": unterminated string");
          }
          line++;
          lineStart = i + 1;
        }
        if (ch == '\\' && i + 1 < s.length()) {
          char e = s.charAt(i + 1);
          if (raw) {
            sb.append(ch).append(e);
            i += 2;
            continue;
          }
          i += 2;
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '0' -> sb.append('\0');
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'v' -> sb.append('\u000b');
            case '\\', '\'', '"' -> sb.append(e);
            case '\n' -> {
              line++;
              lineStart = i;
            }
            case 'x' -> sb.append((char) hex(2, col));
            case 'u' -> sb.append((char) hex(4, col));
            case 'U' -> sb.appendCodePoint(hex(8, col));
            default -> sb.append('\\').append(e); // Python keeps unknown escapes verbatim
          }
          continue;
        }
        sb.append(ch);
        i++;
      }
      out.add(new Token(Type.STRING, "", sb.toString(), startLine, col));
    }

    private int hex(int digits, int col) {
      if (i + digits > s.length()) {
        throw error(col, "truncated escape sequence");
      }
      try {
        int v = Integer.parseUnsignedInt(s.substring(i, i + digits), 16);
        i += digits;
        return v;
      } catch (NumberFormatException e) {
        throw error(col, "bad escape sequence");
      }
    }

    private void number(int col) {
      int start = i;
      boolean isFloat = false;
      int radix = 10;
      if (s.charAt(i) == '0' && i + 1 < s.length() && "xXoObB".indexOf(s.charAt(i + 1)) >= 0) {
        radix = switch (Character.toLowerCase(s.charAt(i + 1))) {
          case 'x' -> 16;
          case 'o' -> 8;
          default -> 2;
        };
        i += 2;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
      } else {
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
          isFloat = true;
          i++;
          while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
          }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
          isFloat = true;
          i++;
          if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
          }
          int digits = i;
          while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
          }
          if (digits == i) {
            throw error(col, "malformed number '" + s.substring(start, i) + "'");
          }
        }
      }
      if (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
        throw error(col, "malformed number '" + s.substring(start, i + 1) + "'");
      }
      String text = s.substring(start, i);
      String clean = text.replace("_", "");
      if (text.startsWith("_") || text.endsWith("_") || text.contains("__")) {
        throw error(col, "malformed number '" + text + "'");
      }
      Object value;
      try {
        if (isFloat) {
          value = Double.parseDouble(clean);
        } else if (radix != 10) {
          value = Long.parseLong(clean.substring(2), radix);
        } else {
          if (clean.length() > 1 && clean.charAt(0) == '0' && !clean.chars().allMatch(ch -> ch == '0')) {
            throw error(col, "leading zeros in '" + text + "' (Python 3 forbids them)");
          }
          value = Long.parseLong(clean);
        }
      } catch (NumberFormatException e) {
        throw error(col, "malformed or out-of-range number '" + text + "'");
      }
      out.add(new Token(isFloat ? Type.FLOAT : Type.INT, text, value, line, col));
    }

    private void name(int col) {
      int start = i;
      identifier(col);
      // Dotted and scoped names (module.Name.param, scope/module.Name) form one token.
      while (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == '/')) {
        i++;
        if (i >= s.length() || !(Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
          throw error(i - lineStart + 1, "expected a name after '" + s.charAt(i - 1) + "'");
        }
        identifier(col);
      }
      out.add(new Token(Type.NAME, s.substring(start, i), null, line, col));
    }

    private void identifier(int col) {
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
    }

    private GinException error(int col, String message) {
      return new GinException(source + ":" + line + ":" + col + ": " + message);
    }
  }
}
